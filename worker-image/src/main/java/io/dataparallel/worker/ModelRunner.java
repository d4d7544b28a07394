package io.dataparallel.worker;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The TorchScript model, loaded once per worker with DJL PyTorch, and the batched forward
 * loop over one partition. Inputs go to libtorch straight from the direct buffers the npz
 * reader filled (no copy on CPU); batches are views of the partition's tensors.
 */
public final class ModelRunner implements AutoCloseable {
    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore parameters;
    private final Device device;
    private final ModelSpec spec;
    private final InputLayout layout;
    /** The threads of replicas beyond the caller's; kept with the model, as the model is kept across partitions. */
    private final ReplicaPool pool = new ReplicaPool();

    private ModelRunner(Model model, Device device, ModelSpec spec, InputLayout layout) {
        this.model = model;
        this.block = (PtSymbolBlock) model.getBlock();
        this.parameters = new ParameterStore(model.getNDManager(), false);
        this.device = device;
        this.spec = spec;
        this.layout = layout;
    }

    /**
     * Loads {@code file} (TorchScript) on the CPU or the first GPU, inputs laid out as {@code spec.model.channelsLast}
     * says on the CPU (where it was measured; a GPU keeps the partition's layout).
     *
     * @param gpu true for {@code spec.device: gpu}
     */
    public static ModelRunner load(Path file, ModelSpec spec, boolean gpu, String modelUri) {
        return load(file, spec, gpu, modelUri, new InputLayout(!gpu && spec.channelsLastOrDefault()));
    }

    /** Loads {@code file} as {@link #load(Path, ModelSpec, boolean, String)} does, with the given input layout. */
    static ModelRunner load(Path file, ModelSpec spec, boolean gpu, String modelUri, InputLayout layout) {
        Device device;
        if (gpu) {
            if (Engine.getEngine("PyTorch").getGpuCount() == 0) {
                throw new BadInputException("spec.device", "is gpu but no CUDA GPU is visible to this worker: run it on a GPU node pool"
                        + " (spec.nodePool) with the GPU worker image, or set spec.device: cpu");
            }
            device = Device.gpu();
        } else {
            device = Device.cpu();
        }
        Model model = Model.newInstance("model", device, "PyTorch");
        try {
            String name = file.getFileName().toString();
            model.load(file.getParent(), name.substring(0, name.length() - ".pt".length()));
        } catch (MalformedModelException | IOException | EngineException | IllegalArgumentException e) {
            model.close();
            throw new BadInputException("spec.model.uri", modelUri + " is not a TorchScript model (" + firstLine(e)
                    + "): save it with torch.jit.save(torch.jit.script(model), 'model.pt') or torch.jit.trace");
        }
        // TorchScript keeps no argument count DJL can read before a call, so a wrong
        // spec.model.inputs shows on the first forward, reported as a bad input there
        return new ModelRunner(model, device, spec, layout);
    }

    String deviceName() {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
    }

    /**
     * Runs the model over {@code inputs} (same row count each) in batches of
     * {@code batchSize} on one replica with the calling thread's intra-op threads, returning
     * one array per {@code spec.model.outputs} name with the rows in input order.
     */
    public Outputs run(String partition, List<NpyArray> inputs, long rows, int batchSize) {
        return run(partition, inputs, rows, batchSize, Replicas.ONE_AS_IS);
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
            for (String name : spec.outputNames()) {
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
        return new Kept(new Outputs.Sink(partition, spec.outputNames(), rows), 0, 0);
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
        try (NDManager manager = model.getNDManager().newSubManager(device)) {
            List<NDArray> whole = new ArrayList<>();
            for (NpyArray in : inputs) {
                whole.add(layout.apply(manager.create(in.data(), new Shape(in.shape()), toDjl(in))));
            }
            int batches = Math.toIntExact((to - from + batchSize - 1) / batchSize);
            pool.run(Math.min(replicas.count(), batches), replicas.threads(), next -> {
                for (int b = next.getAsInt(); b < batches; b = next.getAsInt()) {
                    if (yielding) { // on the calling thread, which the pool gives back its own setting afterwards
                        JniUtils.setNumThreads(downloading.getAsBoolean() ? replicas.threads() - 1 : replicas.threads());
                    }
                    long start = from + (long) b * batchSize;
                    long end = Math.min(to, start + batchSize);
                    try (NDManager batchManager = manager.newSubManager()) {
                        NDList batch = new NDList();
                        for (NDArray array : whole) {
                            NDArray slice = array.get(new NDIndex("{}:{}", start, end));
                            batchManager.tempAttachAll(slice);
                            batch.add(slice);
                        }
                        NDList out = forward(partition, batch, inputs);
                        batchManager.tempAttachAll(out);
                        sink.put(out, start, end - start);
                    }
                }
            });
            return batches;
        }
    }

    private NDList forward(String partition, NDList batch, List<NpyArray> inputs) {
        try {
            return block.forward(parameters, batch, false);
        } catch (EngineException e) {
            String message = torchError(e);
            if (message.contains("out of memory") || message.contains("can't allocate memory")) {
                throw new IllegalStateException("out of memory running the model on " + partition
                        + ": lower spec.batchSize or raise spec.resources", e);
            }
            StringBuilder given = new StringBuilder();
            for (NpyArray in : inputs) {
                given.append(given.length() == 0 ? "" : ", ").append(in.name()).append(' ').append(in.dtype().numpyName())
                        .append(' ').append(in.shapeText());
            }
            throw new Rejected(message, "the model rejected partition '" + partition + "' (" + given
                    + "): " + message + "; give forward the dtype and shape it expects, in argument order");
        }
    }

    private static DataType toDjl(NpyArray in) {
        return switch (in.dtype()) {
            case FLOAT16 -> DataType.FLOAT16;
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT64 -> DataType.FLOAT64;
            case INT8 -> DataType.INT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case UINT8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
            default -> throw new BadInputException("spec.model.inputs", "array '" + in.name() + "' is "
                    + in.dtype().numpyName() + ", which PyTorch cannot take as a tensor: store it as int64, int32 or a float type");
        };
    }

    /** The line of a TorchScript error that says what went wrong: its last "...Error: ..." line. */
    private static String torchError(Throwable e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        String found = null;
        for (String line : m.split("\n")) {
            String t = line.strip();
            if (t.matches("^[A-Za-z.]*Error: .*")) {
                found = t;
            }
        }
        return found != null ? found : firstLine(e);
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

    /** The model's forward refused a partition's tensors; {@link #modelError} is what libtorch said. */
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
