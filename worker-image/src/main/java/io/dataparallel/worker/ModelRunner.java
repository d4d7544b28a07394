package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.model.ModelFormat;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The model, loaded once per worker by the engine its format needs (TorchScript: DJL's PyTorch
 * engine; ONNX: ONNX Runtime), and the batched forward loop over one partition, the same for
 * both: batches of the partition's rows, {@code replicas.count()} at a time, each batch's outputs
 * put at its own rows.
 */
public final class ModelRunner implements AutoCloseable {
    private final LoadedModel model;
    private final List<String> outputNames;
    /** The threads of replicas beyond the caller's; kept with the model, as the model is kept across partitions. */
    private final ReplicaPool pool = new ReplicaPool();

    private ModelRunner(LoadedModel model, ModelSpec spec) {
        this.model = model;
        this.outputNames = spec.outputs() == null || spec.outputs().isEmpty() ? model.defaultOutputNames() : spec.outputs();
    }

    /**
     * Loads {@code file} (TorchScript or ONNX, told by its content) on the CPU or the first GPU, inputs laid out as
     * {@code spec.model.channelsLast} says on the CPU (where it was measured; a GPU keeps the partition's layout).
     *
     * @param gpu true for {@code spec.device: gpu}
     */
    public static ModelRunner load(Path file, ModelSpec spec, boolean gpu, String modelUri) {
        return load(file, spec, gpu, modelUri, new InputLayout(!gpu && spec.channelsLastOrDefault()));
    }

    /** Loads {@code file} as {@link #load(Path, ModelSpec, boolean, String)} does, with the given input layout (TorchScript only). */
    static ModelRunner load(Path file, ModelSpec spec, boolean gpu, String modelUri, InputLayout layout) {
        ModelFormat format = ModelFormat.of(head(file), modelUri);
        LoadedModel model = switch (format) {
            case TORCHSCRIPT -> TorchScriptModel.load(file, gpu, modelUri, layout);
            case ONNX -> OnnxModel.load(file, gpu, modelUri, DjlSetup.threads());
        };
        return new ModelRunner(model, spec);
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(ModelFormat.HEAD_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TorchScript or ONNX. */
    ModelFormat format() {
        return model.format();
    }

    /** The names the outputs are stored under: {@code spec.model.outputs}, or the model's own when it is not given. */
    List<String> outputNames() {
        return outputNames;
    }

    /** The ONNX graph's declared inputs and outputs; null for TorchScript, which declares none. */
    OnnxGraph graph() {
        return model instanceof OnnxModel onnx ? onnx.graph() : null;
    }

    String deviceName() {
        return model.deviceName();
    }

    /**
     * Runs the model over {@code inputs} (same row count each) in batches of
     * {@code batchSize} on one replica with the calling thread's intra-op threads, returning
     * one array per {@code spec.model.outputs} name with the rows in input order.
     */
    public Outputs run(String partition, List<NpyArray> inputs, long rows, int batchSize) {
        return run(partition, inputs, rows, batchSize, Replicas.ONE_AS_IS);
    }

    /** As {@link #run(String, List, long, int)}, on one replica with {@code threads} intra-op threads: what the profile measures. */
    public Outputs run(String partition, List<NpyArray> inputs, long rows, int batchSize, int threads) {
        return run(partition, inputs, rows, batchSize, new Replicas(1, threads));
    }

    /**
     * Runs the model over the first {@code rows} rows of {@code inputs} in batches of
     * {@code batchSize}, {@code replicas.count()} batches at a time, each replica on its own
     * thread with {@code replicas.threads()} intra-op threads. The batches, and so the
     * outputs, are the same whatever the replica count: each batch's rows land at its own
     * offset, in input order.
     */
    Outputs run(String partition, List<NpyArray> inputs, long rows, int batchSize, Replicas replicas) {
        return run(partition, inputs, rows, batchSize, replicas, () -> false);
    }

    /**
     * As {@link #run(String, List, long, int, Replicas)}; with one replica of several threads, each batch runs with
     * one thread fewer while {@code downloading} says a download is in flight, leaving its core to the I/O thread.
     */
    Outputs run(String partition, List<NpyArray> inputs, long rows, int batchSize, Replicas replicas, BooleanSupplier downloading) {
        if (rows == 0) {
            List<NpyArray> empty = new ArrayList<>();
            for (String name : outputNames) {
                empty.add(new NpyArray(name, DType.FLOAT32, new long[] {0}, ByteBuffer.allocate(0)));
            }
            return new Outputs(empty, 0);
        }
        return finish(partition, inputs, startKeeping(partition, rows), rows, batchSize, replicas, downloading);
    }

    /**
     * The rows of a partition computed so far into its {@link Outputs.Sink}: rows {@code [0, rows)} in
     * {@code batches} forward calls. The tuning trials compute the first rows of a partition; the rest of
     * it continues from there instead of computing them again.
     */
    record Kept(Outputs.Sink sink, long rows, int batches) {
    }

    /** A partition's first rows kept in a sink for all its {@code rows}, none computed yet. */
    Kept startKeeping(String partition, long rows) {
        return new Kept(new Outputs.Sink(partition, outputNames, rows), 0, 0);
    }

    /** Computes rows {@code [kept.rows(), to)} into {@code kept}'s sink; returns what is kept then. */
    Kept keep(String partition, List<NpyArray> inputs, Kept kept, long to, int batchSize, Replicas replicas) {
        int batches = compute(partition, inputs, kept.sink(), kept.rows(), to, batchSize, replicas, () -> false);
        return new Kept(kept.sink(), to, kept.batches() + batches);
    }

    /** Computes the rows of the partition {@code kept} does not hold yet, up to {@code rows}, and returns all its outputs. */
    Outputs finish(String partition, List<NpyArray> inputs, Kept kept, long rows, int batchSize, Replicas replicas,
                   BooleanSupplier downloading) {
        int batches = kept.rows() >= rows ? 0 : compute(partition, inputs, kept.sink(), kept.rows(), rows, batchSize, replicas,
                downloading);
        return new Outputs(kept.sink().arrays(), kept.batches() + batches);
    }

    /**
     * Runs rows {@code [from, to)} in batches of {@code batchSize} from {@code from}, {@code replicas.count()} batches
     * at a time, each batch's outputs put at its own rows of {@code sink}; returns the forward calls.
     */
    private int compute(String partition, List<NpyArray> inputs, Outputs.Sink sink, long from, long to, int batchSize,
                        Replicas replicas, BooleanSupplier downloading) {
        boolean yielding = replicas.count() == 1 && replicas.threads() > 1;
        try (LoadedModel.Batches partitionBatches = model.open(partition, inputs)) {
            int batches = Math.toIntExact((to - from + batchSize - 1) / batchSize);
            pool.run(Math.min(replicas.count(), batches), replicas.threads(), model::onReplicaThread, (replica, next) -> {
                for (int b = next.getAsInt(); b < batches; b = next.getAsInt()) {
                    if (yielding) { // on the calling thread, which the pool gives back its own setting afterwards
                        model.setThreads(downloading.getAsBoolean() ? replicas.threads() - 1 : replicas.threads());
                    }
                    long start = from + (long) b * batchSize;
                    long end = Math.min(to, start + batchSize);
                    sink.put(partitionBatches.forward(replica, replicas.threads(), start, end), start, end - start);
                }
            });
            return batches;
        }
    }

    /** The arrays as messages list them: {@code images float32 (512, 5, 64, 64), mags float32 (512, 5)}. */
    static String describe(List<NpyArray> arrays) {
        StringBuilder given = new StringBuilder();
        for (NpyArray in : arrays) {
            given.append(given.length() == 0 ? "" : ", ").append(in.name()).append(' ').append(in.dtype().numpyName())
                    .append(' ').append(in.shapeText());
        }
        return given.toString();
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        pool.close();
        model.close();
    }

    /** The model's forward refused a partition's tensors; {@link #modelError} is what its engine said. */
    static final class Rejected extends BadInputException {
        private final String modelError;

        Rejected(String modelError, String message) {
            super("spec.model.inputs", message);
            this.modelError = modelError;
        }

        String modelError() {
            return modelError;
        }
    }
}
