package io.dataparallel.worker;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.dataparallel.api.BadInputException;
import io.dataparallel.core.model.ModelFormat;
import io.dataparallel.core.npz.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX model in ONNX Runtime, whose Java API and natives DJL's ONNX Runtime engine brings. The
 * worker calls the session itself rather than through DJL's {@code OrtSymbolBlock}: DJL passes only five
 * dtypes (no bool, no float16) and keeps the graph's input types to itself, which the check before the
 * first forward needs. ONNX Runtime fixes a session's intra-op threads when it is made, so each
 * (replica, threads) the tuning tries gets a session of its own, made on first use and kept with the
 * model; the graph's weights are then held once per session.
 */
final class OnnxModel implements LoadedModel {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Path file;
    private final boolean gpu;
    private final String uri;
    private final int defaultThreads;
    private final OnnxGraph graph;
    /** Sessions by intra-op threads, one per replica; the first made at load. */
    private final Map<Integer, List<OrtSession>> sessions = new HashMap<>();

    private OnnxModel(Path file, boolean gpu, String uri, int defaultThreads, OrtSession first) throws OrtException {
        this.file = file;
        this.gpu = gpu;
        this.uri = uri;
        this.defaultThreads = defaultThreads;
        this.graph = OnnxGraph.of(first);
        sessions.computeIfAbsent(defaultThreads, t -> new ArrayList<>()).add(first);
    }

    /**
     * Loads {@code file} (ONNX) for the CPU or the first GPU (CUDA execution provider), {@code threads} intra-op
     * threads in its first session. The file is moved aside and kept until {@link #close}, for the sessions of
     * other replicas and thread counts.
     */
    static OnnxModel load(Path file, boolean gpu, String uri, int threads) {
        Path kept = file.resolveSibling(file.getFileName() + ".onnx");
        try {
            Files.move(file, kept, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the model file " + file + ": " + e.getMessage(), e);
        }
        try {
            OrtSession first = session(OrtEnvironment.getEnvironment(), kept, gpu, threads, uri);
            return new OnnxModel(kept, gpu, uri, threads, first);
        } catch (OrtException e) {
            delete(kept);
            throw loadError(uri, e);
        } catch (RuntimeException e) {
            delete(kept);
            throw e;
        }
    }

    private static OrtSession session(OrtEnvironment env, Path file, boolean gpu, int threads, String uri) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            // one forward at a time per session: inter-op threads would only contend with intra-op ones
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (gpu) {
                try {
                    options.addCUDA(0);
                } catch (OrtException e) {
                    throw new BadInputException("spec.device", "is gpu but this worker's ONNX Runtime has no CUDA execution provider ("
                            + ModelRunner.firstLine(e) + "): run it with the GPU worker image, or set spec.device: cpu");
                }
            }
            return env.createSession(file.toString(), options);
        }
    }

    private static BadInputException loadError(String uri, OrtException e) {
        String m = ModelRunner.firstLine(e);
        String fix = m.toLowerCase().contains("opset") ? "export it again with an opset ONNX Runtime "
                + OrtEnvironment.getEnvironment().getVersion() + " runs (torch.onnx.export(..., opset_version=17))"
                : m.contains("Protobuf parsing failed") || m.contains("parse") ? "the file is damaged or truncated: upload it again"
                : "export it with torch.onnx.export(model, example_inputs, 'model.onnx')";
        return new BadInputException("spec.model.uri", uri + " is an ONNX model that ONNX Runtime cannot load (" + m + "): " + fix);
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    public String deviceName() {
        return gpu ? "cuda:0" : "cpu";
    }

    @Override
    public List<String> defaultOutputNames() {
        return graph.outputNames();
    }

    /** The graph's inputs and outputs, for {@code plan --check}. */
    OnnxGraph graph() {
        return graph;
    }

    @Override
    public Batches open(String partition, List<NpyArray> inputs) {
        List<NpyArray> fitted = graph.fit(partition, inputs, LOG::info);
        List<OnnxJavaType> types = new ArrayList<>();
        for (int i = 0; i < fitted.size(); i++) {
            types.add(graph.inputs().get(i).javaType());
        }
        return new Batches() {
            @Override
            public List<NpyArray> forward(int replica, int threads, long start, long end) {
                OrtSession session = session(replica, threads);
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (int i = 0; i < fitted.size(); i++) {
                        feed.put(graph.inputs().get(i).name(), tensor(fitted.get(i), types.get(i), start, end));
                    }
                    try (OrtSession.Result result = session.run(feed)) {
                        List<NpyArray> out = new ArrayList<>();
                        for (int k = 0; k < result.size(); k++) {
                            out.add(toNpy(result.get(k), graph.outputNames().get(k)));
                        }
                        return out;
                    }
                } catch (OrtException e) {
                    String m = ModelRunner.firstLine(e);
                    if (m.contains("Failed to allocate memory") || m.contains("bad_alloc")) {
                        throw new IllegalStateException("out of memory running the model on " + partition
                                + ": lower spec.batchSize or raise spec.resources", e);
                    }
                    throw new ModelRunner.Rejected(m, "the model rejected partition '" + partition + "' ("
                            + ModelRunner.describe(fitted) + "): " + m + "; the graph takes " + graph.describeInputs());
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }

            @Override
            public void close() {
                // the partition's buffers go with it; sessions stay with the model
            }
        };
    }

    /** Rows {@code [start, end)} of {@code a} as a tensor over the same memory (ONNX Runtime copies a heap buffer). */
    private OnnxTensor tensor(NpyArray a, OnnxJavaType type, long start, long end) throws OrtException {
        long rowBytes = a.rows() == 0 ? 0 : a.data().remaining() / a.rows();
        ByteBuffer rows = a.data().duplicate().position(Math.toIntExact(start * rowBytes)).limit(Math.toIntExact(end * rowBytes))
                .slice().order(ByteOrder.nativeOrder());
        long[] shape = a.shape().clone();
        shape[0] = end - start;
        return OnnxTensor.createTensor(env, rows, shape, type);
    }

    private static NpyArray toNpy(OnnxValue value, String name) {
        if (!(value instanceof OnnxTensor t)) {
            throw new BadInputException("spec.model.outputs", "the model's output '" + name + "' is an ONNX " + value.getType()
                    + ", not a tensor: predictions are tensors, one row per sample");
        }
        TensorInfo info = t.getInfo();
        ByteBuffer bytes = t.getByteBuffer();
        if (bytes == null) {
            throw new BadInputException("spec.model.outputs", "the model's output '" + name + "' is a " + info.type
                    + " tensor, which cannot be stored in .npz: return numeric tensors");
        }
        return new NpyArray(name, OnnxGraph.dtype(info.type, "spec.model.outputs", name), info.getShape(),
                bytes.order(ByteOrder.LITTLE_ENDIAN));
    }

    private synchronized OrtSession session(int replica, int threads) {
        int t = threads > 0 ? threads : defaultThreads;
        List<OrtSession> forThreads = sessions.computeIfAbsent(t, k -> new ArrayList<>());
        while (forThreads.size() <= replica) {
            try {
                forThreads.add(session(env, file, gpu, t, uri));
            } catch (OrtException e) {
                throw loadError(uri, e);
            }
        }
        return forThreads.get(replica);
    }

    @Override
    public void onReplicaThread(int threads, Runnable work) {
        work.run(); // threads belong to the session each batch picks
    }

    @Override
    public void setThreads(int threads) {
        // fixed per session in ONNX Runtime
    }

    @Override
    public synchronized void close() {
        for (List<OrtSession> list : sessions.values()) {
            for (OrtSession s : list) {
                try {
                    s.close();
                } catch (OrtException e) {
                    LOG.warn("closing an ONNX Runtime session: {}", e.getMessage());
                }
            }
        }
        sessions.clear();
        delete(file);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the temp folder goes with the pod
        }
    }
}
