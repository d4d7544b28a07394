package io.dataparallel.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The tight loop the worker is measured against: DJL PyTorch forward over one partition's
 * tensors already in memory, nothing else. As a program it prints the median samples/s of
 * several passes; {@code PairedCompute} runs the same loop beside the worker's path.
 *
 * <p>{@code RawForward MODEL.pt PARTITION.npz BATCH THREADS REPEATS}
 */
public final class RawForward implements AutoCloseable {
    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore parameters;
    private final NDManager manager;
    private final NDArray images;
    private final NDArray magnitudes;
    private final long rows;

    /** Loads the model and makes the partition's tensors, outside any timing. */
    public RawForward(Path modelFile, NpyArray images, NpyArray magnitudes) throws Exception {
        model = Model.newInstance("raw", Device.cpu(), "PyTorch");
        String name = modelFile.getFileName().toString();
        model.load(modelFile.getParent(), name.substring(0, name.length() - 3));
        block = (PtSymbolBlock) model.getBlock();
        parameters = new ParameterStore(model.getNDManager(), false);
        manager = model.getNDManager().newSubManager();
        this.images = manager.create(images.data(), new Shape(images.shape()), DataType.FLOAT32);
        this.magnitudes = manager.create(magnitudes.data(), new Shape(magnitudes.shape()), DataType.FLOAT32);
        rows = images.rows();
    }

    /** One pass over the partition in batches; returns its samples/s. */
    public double pass(int batch) {
        JniUtils.setGradMode(false); // thread-local in libtorch
        long t0 = System.nanoTime();
        for (long s = 0; s < rows; s += batch) {
            try (NDManager b = manager.newSubManager()) {
                NDIndex index = new NDIndex("{}:{}", s, Math.min(rows, s + batch));
                NDList in = new NDList(images.get(index), magnitudes.get(index));
                b.tempAttachAll(in);
                NDList out = block.forward(parameters, in, false);
                b.tempAttachAll(out);
                out.get(0).toByteBuffer(); // the worker copies outputs to the host too
            }
        }
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() {
        manager.close();
        model.close();
    }

    public static void main(String[] args) throws Exception {
        int batch = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int repeats = Integer.parseInt(args[4]);
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("PYTORCH_VERSION", "2.7.1");
        System.setProperty("PYTORCH_FLAVOR", "cpu");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Map<String, NpyArray> arrays = Npz.read(Path.of(args[1]), null);
        try (RawForward raw = new RawForward(Path.of(args[0]), arrays.get("images"), arrays.get("magnitudes"))) {
            raw.pass(batch); // warms the TorchScript executor up
            double[] rates = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                rates[r] = raw.pass(batch);
            }
            Arrays.sort(rates);
            System.out.println("{\"samples_per_second\": " + rates[repeats / 2] + "}");
        }
    }
}
