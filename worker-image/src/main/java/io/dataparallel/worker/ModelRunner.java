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
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
     * {@code batchSize}, returning one array per {@code spec.model.outputs} name with the
     * rows in input order.
     */
    public Outputs run(String partition, List<NpyArray> inputs, long rows, int batchSize) {
        List<String> names = spec.outputNames();
        if (rows == 0) {
            List<NpyArray> empty = new ArrayList<>();
            for (String name : names) {
                empty.add(new NpyArray(name, DType.FLOAT32, new long[] {0}, ByteBuffer.allocate(0)));
            }
            return new Outputs(empty, 0);
        }
        JniUtils.setGradMode(false); // thread-local in libtorch: inference needs no autograd graph
        try (NDManager manager = model.getNDManager().newSubManager(device)) {
            List<NDArray> whole = new ArrayList<>();
            for (NpyArray in : inputs) {
                whole.add(layout.apply(manager.create(in.data(), new Shape(in.shape()), toDjl(in))));
            }
            OutputBuffers buffers = null;
            int batches = 0;
            for (long start = 0; start < rows; start += batchSize) {
                long end = Math.min(rows, start + batchSize);
                try (NDManager batchManager = manager.newSubManager()) {
                    NDList batch = new NDList();
                    for (NDArray array : whole) {
                        NDArray slice = array.get(new NDIndex("{}:{}", start, end));
                        batchManager.tempAttachAll(slice);
                        batch.add(slice);
                    }
                    NDList out = forward(partition, batch, inputs);
                    batchManager.tempAttachAll(out);
                    if (buffers == null) {
                        buffers = OutputBuffers.first(partition, names, out, rows, end - start);
                    }
                    buffers.append(partition, out, end - start);
                }
                batches++;
            }
            return new Outputs(buffers.arrays(), batches);
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

    /** A partition's outputs and the forward calls it took. */
    public record Outputs(List<NpyArray> arrays, int batches) {
    }

    /** Host buffers for each output, sized for the whole partition once the first batch shows the row shape. */
    private record OutputBuffers(List<String> names, List<DType> types, List<long[]> shapes, List<ByteBuffer> data) {
        static OutputBuffers first(String partition, List<String> names, NDList out, long rows, long batchRows) {
            if (out.size() != names.size()) {
                throw new BadInputException("spec.model.outputs", "names " + names.size() + " outputs " + names
                        + " but the model returned " + out.size() + " on partition '" + partition
                        + "': give one name per returned tensor");
            }
            List<DType> types = new ArrayList<>();
            List<long[]> shapes = new ArrayList<>();
            List<ByteBuffer> data = new ArrayList<>();
            for (int k = 0; k < out.size(); k++) {
                NDArray a = out.get(k);
                long[] shape = a.getShape().getShape();
                if (shape.length == 0 || shape[0] != batchRows) {
                    throw new BadInputException("spec.model.outputs", "output '" + names.get(k) + "' has shape " + a.getShape()
                            + " for a batch of " + batchRows + " samples: each output needs one row per sample");
                }
                DType type = fromDjl(a.getDataType());
                long[] full = shape.clone();
                full[0] = rows;
                types.add(type);
                shapes.add(full);
                data.add(ByteBuffer.allocate(Math.toIntExact(NpyArray.elementCount(full) * type.bytes())).order(ByteOrder.LITTLE_ENDIAN));
            }
            return new OutputBuffers(names, types, shapes, data);
        }

        void append(String partition, NDList out, long batchRows) {
            for (int k = 0; k < out.size(); k++) {
                NDArray a = out.get(k);
                if (a.getShape().get(0) != batchRows) {
                    throw new BadInputException("spec.model.outputs", "output '" + names.get(k) + "' has " + a.getShape().get(0)
                            + " rows for a batch of " + batchRows + " samples in partition '" + partition + "'");
                }
                if (a.getDataType() == DataType.BFLOAT16) {
                    a = a.toType(DataType.FLOAT32, false);
                }
                data.get(k).put(a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
            }
        }

        List<NpyArray> arrays() {
            List<NpyArray> arrays = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                arrays.add(new NpyArray(names.get(k), types.get(k), shapes.get(k), data.get(k).flip()));
            }
            return arrays;
        }

        private static DType fromDjl(DataType t) {
            return switch (t) {
                case FLOAT16 -> DType.FLOAT16;
                case FLOAT32, BFLOAT16 -> DType.FLOAT32;
                case FLOAT64 -> DType.FLOAT64;
                case INT8 -> DType.INT8;
                case INT16 -> DType.INT16;
                case INT32 -> DType.INT32;
                case INT64 -> DType.INT64;
                case UINT8 -> DType.UINT8;
                case BOOLEAN -> DType.BOOL;
                default -> throw new BadInputException("spec.model.outputs", "the model returned a " + t
                        + " tensor, which cannot be stored in .npz: return numeric tensors");
            };
        }
    }
}
