package io.dataparallel.worker;

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
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.summary.QualityData;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 2, paired: in one process, rounds that alternate the worker's compute path
 * ({@link ModelRunner#run} on a partition as the worker holds it, then its quality data) with
 * a tight DJL forward loop over tensors made beforehand. On a machine whose speed drifts from
 * one second to the next, alternating puts both under the same drift, so the per-round ratio
 * measures the worker's own overhead. Lives in the worker's package to reach ModelRunner
 * without widening the product's API.
 *
 * <p>{@code PairedCompute MODEL.pt PARTITION.npz BATCH THREADS ROUNDS}: prints one JSON line.
 */
public final class PairedCompute {
    private PairedCompute() {
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args[0]);
        int batch = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        System.setProperty("ai.djl.offline", "true");
        DjlSetup.configure(threads, Map.of());
        Map<String, NpyArray> arrays = Npz.read(aligned(Path.of(args[1])), null);
        List<NpyArray> inputs = List.of(arrays.get("images"), arrays.get("magnitudes"));
        NpyArray labels = arrays.get("redshift");
        long rows = inputs.get(0).rows();
        ModelSpec spec = new ModelSpec(modelFile.toString(), List.of("images", "magnitudes"), null);
        double[] worker = new double[rounds];
        double[] raw = new double[rounds];
        double[] ratio = new double[rounds];
        try (ModelRunner runner = ModelRunner.load(modelFile, spec, false, modelFile.toString());
             Model model = Model.newInstance("raw", ai.djl.Device.cpu(), "PyTorch")) {
            String name = modelFile.getFileName().toString();
            model.load(modelFile.getParent(), name.substring(0, name.length() - 3));
            PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            JniUtils.setGradMode(false);
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray images = m.create(inputs.get(0).data(), new Shape(inputs.get(0).shape()), DataType.FLOAT32);
                NDArray magnitudes = m.create(inputs.get(1).data(), new Shape(inputs.get(1).shape()), DataType.FLOAT32);
                for (int r = -1; r < rounds; r++) { // round -1 warms both executors up
                    // odd rounds run the raw loop first, so neither side always follows the other
                    double w;
                    double x;
                    if (r % 2 == 0 || r < 0) {
                        w = workerPath(runner, inputs, labels, rows, batch);
                        x = rawLoop(block, ps, m, images, magnitudes, rows, batch);
                    } else {
                        x = rawLoop(block, ps, m, images, magnitudes, rows, batch);
                        w = workerPath(runner, inputs, labels, rows, batch);
                    }
                    if (r >= 0) {
                        worker[r] = w;
                        raw[r] = x;
                        ratio[r] = w / x;
                    }
                }
            }
        }
        System.out.printf(java.util.Locale.ROOT, "{\"worker\": %.1f, \"raw\": %.1f, \"ratio\": %.4f, \"workers\": %s,"
                + " \"raws\": %s, \"ratios\": %s}%n", median(worker), median(raw), median(ratio), Arrays.toString(worker),
                Arrays.toString(raw), Arrays.toString(ratio));
    }

    /** Samples/s of the worker's compute: ModelRunner over the partition, then its quality data. */
    private static double workerPath(ModelRunner runner, List<NpyArray> inputs, NpyArray labels, long rows, int batch) {
        long t0 = System.nanoTime();
        ModelRunner.Outputs out = runner.run("paired", inputs, rows, batch);
        if (labels != null) {
            QualityData.compute(labels, out.arrays().get(0));
        }
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    /** Samples/s of the tight loop: slices of tensors made beforehand, forward, outputs to the host. */
    private static double rawLoop(PtSymbolBlock block, ParameterStore ps, NDManager m, NDArray images, NDArray magnitudes,
                                  long rows, int batch) {
        long t1 = System.nanoTime();
        for (long s = 0; s < rows; s += batch) {
            try (NDManager b = m.newSubManager()) {
                NDIndex index = new NDIndex("{}:{}", s, Math.min(rows, s + batch));
                NDList in = new NDList(images.get(index), magnitudes.get(index));
                b.tempAttachAll(in);
                NDList o = block.forward(ps, in, false);
                b.tempAttachAll(o);
                o.get(0).toByteBuffer();
            }
        }
        return rows / ((System.nanoTime() - t1) / 1e9);
    }

    /** The partition in direct memory the way the worker downloads it. */
    private static ByteBuffer aligned(Path file) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(file);
        int at = Npz.firstArrayData(ByteBuffer.wrap(bytes));
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length + 64);
        int shift = at < 0 ? 0 : Math.floorMod(-(buffer.alignmentOffset(0, 64) + at), 64);
        return buffer.slice(shift, bytes.length).put(bytes).flip();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
