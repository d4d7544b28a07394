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
 * tensors already in memory, nothing else. Prints the median samples/s of several passes.
 *
 * <p>{@code RawForward MODEL.pt PARTITION.npz BATCH THREADS REPEATS}
 */
public final class RawForward {
    private RawForward() {
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args[0]);
        int batch = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int repeats = Integer.parseInt(args[4]);
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("PYTORCH_VERSION", "2.7.1");
        System.setProperty("PYTORCH_FLAVOR", "cpu");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Map<String, NpyArray> arrays = Npz.read(Path.of(args[1]), null);
        try (Model model = Model.newInstance("raw", Device.cpu(), "PyTorch")) {
            String name = modelFile.getFileName().toString();
            model.load(modelFile.getParent(), name.substring(0, name.length() - 3));
            PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            JniUtils.setGradMode(false);
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray images = create(m, arrays.get("images"));
                NDArray magnitudes = create(m, arrays.get("magnitudes"));
                long n = images.getShape().get(0);
                double[] rates = new double[repeats];
                for (int r = -1; r < repeats; r++) { // pass -1 warms the TorchScript executor up
                    long t0 = System.nanoTime();
                    for (long s = 0; s < n; s += batch) {
                        try (NDManager b = m.newSubManager()) {
                            NDIndex index = new NDIndex("{}:{}", s, Math.min(n, s + batch));
                            NDList in = new NDList(images.get(index), magnitudes.get(index));
                            b.tempAttachAll(in);
                            NDList out = block.forward(ps, in, false);
                            b.tempAttachAll(out);
                            out.get(0).toByteBuffer(); // the worker copies outputs to the host too
                        }
                    }
                    if (r >= 0) {
                        rates[r] = n / ((System.nanoTime() - t0) / 1e9);
                    }
                }
                Arrays.sort(rates);
                System.out.println("{\"samples_per_second\": " + rates[repeats / 2] + "}");
            }
        }
    }

    private static NDArray create(NDManager m, NpyArray a) {
        return m.create(a.data(), new Shape(a.shape()), DataType.FLOAT32);
    }

}
