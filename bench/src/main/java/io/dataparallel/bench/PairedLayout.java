package io.dataparallel.bench;

import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.worker.ComputePath;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13: the worker's compute path with images stored channels-last against the same path
 * without, one model loaded twice in one process, one pass each per round in alternating order.
 * Prints the per-round ratios (channels-last over plain) by wall and by CPU time, and the largest
 * difference between the two sides' outputs.
 *
 * <p>{@code PairedLayout MODEL.pt PARTITION.npz BATCH THREADS ROUNDS}: prints one JSON line.
 */
public final class PairedLayout {
    private PairedLayout() {
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args[0]);
        int batch = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        Map<String, NpyArray> arrays = Npz.read(PairedCompute.aligned(Path.of(args[1])), null);
        List<NpyArray> inputs = List.of(arrays.get("images"), arrays.get("magnitudes"));
        long rows = inputs.get(0).rows();
        ModelSpec spec = new ModelSpec(modelFile.toString(), List.of("images", "magnitudes"), null);
        double[] wall = new double[rounds];
        double[] cpu = new double[rounds];
        double diff = 0;
        try (ComputePath plain = ComputePath.load(modelFile, spec, threads, false);
             ComputePath last = ComputePath.load(modelFile, spec, threads, true)) {
            for (int r = -2; r < rounds; r++) { // two warm-up rounds: the profiling executor optimises on its second call
                boolean lastFirst = Math.floorMod(r, 2) == 1;
                double[] a = lastFirst ? null : pass(plain, inputs, rows, batch);
                double[] b = pass(last, inputs, rows, batch);
                if (lastFirst) {
                    a = pass(plain, inputs, rows, batch);
                }
                if (r >= 0) {
                    wall[r] = b[0] / a[0];
                    cpu[r] = b[1] / a[1];
                }
            }
            diff = maxAbsDiff(plain.run("check", inputs, null, rows, batch).get(0), last.run("check", inputs, null, rows, batch).get(0));
        }
        System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"threads\": %d, \"wall_ratio\": %.3f, \"cpu_ratio\": %.3f,"
                + " \"wall_ratios\": %s, \"cpu_ratios\": %s, \"max_abs_diff\": %.2e}%n", modelFile.getFileName(), threads,
                Figure.median(wall), Figure.median(cpu), Arrays.toString(wall), Arrays.toString(cpu), diff);
    }

    /** One pass: samples per wall second and per CPU-second of this process. */
    private static double[] pass(ComputePath path, List<NpyArray> inputs, long rows, int batch) {
        long t0 = System.nanoTime();
        double c0 = cpuSeconds();
        path.run("paired", inputs, null, rows, batch);
        return new double[] {rows / ((System.nanoTime() - t0) / 1e9), rows / (cpuSeconds() - c0)};
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static double maxAbsDiff(NpyArray a, NpyArray b) {
        FloatBuffer x = a.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        FloatBuffer y = b.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        double max = 0;
        for (int i = 0; i < x.limit(); i++) {
            max = Math.max(max, Math.abs(x.get(i) - y.get(i)));
        }
        return max;
    }
}
