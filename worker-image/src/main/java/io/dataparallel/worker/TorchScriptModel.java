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
import io.dataparallel.core.model.ModelFormat;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TorchScript model in DJL's PyTorch engine. Inputs go to libtorch straight from the direct
 * buffers the partition reader filled (no copy on CPU); batches are views of the partition's tensors.
 * Replicas share the loaded weights (a TorchScript forward only reads them); intra-op threads and
 * grad mode are per thread in libtorch's OpenMP build that DJL ships (bench/analysis.md §8).
 */
final class TorchScriptModel implements LoadedModel {
    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore parameters;
    private final Device device;
    private final InputLayout layout;

    private TorchScriptModel(Model model, Device device, InputLayout layout) {
        this.model = model;
        this.block = (PtSymbolBlock) model.getBlock();
        this.parameters = new ParameterStore(model.getNDManager(), false);
        this.device = device;
        this.layout = layout;
    }

    /** Loads {@code file} (TorchScript, any name) on the CPU or the first GPU. */
    static TorchScriptModel load(Path file, boolean gpu, String modelUri, InputLayout layout) {
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
            int dot = name.lastIndexOf('.');
            // DJL looks for <prefix>.pt: a file of another name is loaded by its full name
            model.load(file.getParent(), name.endsWith(".pt") ? name.substring(0, dot) : name);
        } catch (MalformedModelException | IOException | EngineException | IllegalArgumentException e) {
            model.close();
            throw new BadInputException("spec.model.uri", modelUri + " is not a TorchScript model (" + ModelRunner.firstLine(e)
                    + "): save it with torch.jit.save(torch.jit.script(model), 'model.pt') or torch.jit.trace,"
                    + " or export it with torch.onnx.export");
        }
        // TorchScript keeps no argument count DJL can read before a call, so a wrong
        // spec.model.inputs shows on the first forward, reported as a bad input there
        return new TorchScriptModel(model, device, layout);
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.TORCHSCRIPT;
    }

    @Override
    public String deviceName() {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
    }

    @Override
    public List<String> defaultOutputNames() {
        return List.of(ModelSpec.DEFAULT_OUTPUT);
    }

    @Override
    public Batches open(String partition, List<NpyArray> inputs) {
        NDManager manager = model.getNDManager().newSubManager(device);
        List<NDArray> whole = new ArrayList<>();
        try {
            for (NpyArray in : inputs) {
                whole.add(layout.apply(manager.create(in.data(), new Shape(in.shape()), toDjl(in))));
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new Batches() {
            @Override
            public List<NpyArray> forward(int replica, int threads, long start, long end) {
                try (NDManager batchManager = manager.newSubManager()) {
                    NDList batch = new NDList();
                    for (NDArray array : whole) {
                        NDArray slice = array.get(new NDIndex("{}:{}", start, end));
                        batchManager.tempAttachAll(slice);
                        batch.add(slice);
                    }
                    NDList out = call(partition, batch, inputs);
                    batchManager.tempAttachAll(out);
                    List<NpyArray> arrays = new ArrayList<>();
                    for (int k = 0; k < out.size(); k++) {
                        arrays.add(toNpy(out.get(k), k));
                    }
                    return arrays;
                }
            }

            @Override
            public void close() {
                manager.close();
            }
        };
    }

    private NDList call(String partition, NDList batch, List<NpyArray> inputs) {
        try {
            return block.forward(parameters, batch, false);
        } catch (EngineException e) {
            String message = torchError(e);
            if (message.contains("out of memory") || message.contains("can't allocate memory")) {
                throw new IllegalStateException("out of memory running the model on " + partition
                        + ": lower spec.batchSize or raise spec.resources", e);
            }
            throw new ModelRunner.Rejected(message, "the model rejected partition '" + partition + "' ("
                    + ModelRunner.describe(inputs) + "): " + message + "; give forward the dtype and shape it expects, in argument order");
        }
    }

    @Override
    public void onReplicaThread(int threads, Runnable work) {
        JniUtils.setGradMode(false); // thread-local in libtorch: inference needs no autograd graph
        int before = JniUtils.getNumThreads();
        if (threads > 0 && threads != before) {
            JniUtils.setNumThreads(threads);
        }
        try {
            work.run();
        } finally {
            if (threads > 0 && threads != before) {
                JniUtils.setNumThreads(before); // the caller's thread goes on as it was
            }
        }
    }

    @Override
    public void setThreads(int threads) {
        JniUtils.setNumThreads(threads);
    }

    /** One returned tensor as host bytes; bfloat16, which .npz has no type for, as float32. */
    private static NpyArray toNpy(NDArray a, int index) {
        if (a.getDataType() == DataType.BFLOAT16) {
            a = a.toType(DataType.FLOAT32, false);
        }
        DType type = fromDjl(a.getDataType());
        ByteBuffer bytes = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return new NpyArray("output " + index, type, a.getShape().getShape(), bytes);
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

    private static DType fromDjl(DataType t) {
        return switch (t) {
            case FLOAT16 -> DType.FLOAT16;
            case FLOAT32 -> DType.FLOAT32;
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
        return found != null ? found : ModelRunner.firstLine(e);
    }

    @Override
    public void close() {
        model.close();
    }
}
