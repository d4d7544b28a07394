package io.dataparallel.bench;

import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.npz.AlignedBuffer;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.worker.ComputePath;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 2, paired: in one process, rounds that alternate the worker's compute path
 * ({@link ComputePath}: the worker's model runner on a partition as the worker holds it, then
 * its quality data) with the tight loop of {@link RawForward}. On a machine whose speed drifts
 * from one second to the next, alternating puts both under the same drift, so the per-round
 * ratio measures the worker's own overhead.
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
        Map<String, NpyArray> arrays = Npz.read(aligned(Path.of(args[1])), null);
        List<NpyArray> inputs = List.of(arrays.get("images"), arrays.get("magnitudes"));
        NpyArray labels = arrays.get("redshift");
        long rows = inputs.get(0).rows();
        ModelSpec spec = new ModelSpec(modelFile.toString(), List.of("images", "magnitudes"), null);
        double[] worker = new double[rounds];
        double[] raw = new double[rounds];
        double[] ratio = new double[rounds];
        // loaded before the raw loop, so that DJL is set up (offline, threads) the way the worker sets it up
        // the plain layout, as the raw loop has: this figure is the path's overhead; PairedLayout and
        // PairedForward measure what channels-last images (the worker's default) add
        try (ComputePath runner = ComputePath.load(modelFile, spec, threads, false);
             RawForward loop = new RawForward(modelFile, inputs.get(0), inputs.get(1))) {
            for (int r = -1; r < rounds; r++) { // round -1 warms both executors up
                // odd rounds run the raw loop first, so neither side always follows the other
                double w;
                double x;
                if (r % 2 == 0 || r < 0) {
                    w = workerPath(runner, inputs, labels, rows, batch);
                    x = loop.pass(batch);
                } else {
                    x = loop.pass(batch);
                    w = workerPath(runner, inputs, labels, rows, batch);
                }
                if (r >= 0) {
                    worker[r] = w;
                    raw[r] = x;
                    ratio[r] = w / x;
                }
            }
        }
        System.out.printf(Locale.ROOT, "{\"worker\": %.1f, \"raw\": %.1f, \"ratio\": %.4f, \"workers\": %s,"
                + " \"raws\": %s, \"ratios\": %s}%n", Figure.median(worker), Figure.median(raw), Figure.median(ratio),
                Arrays.toString(worker), Arrays.toString(raw), Arrays.toString(ratio));
    }

    /** Samples/s of the worker's compute: its model runner over the partition, then its quality data. */
    private static double workerPath(ComputePath runner, List<NpyArray> inputs, NpyArray labels, long rows, int batch) {
        long t0 = System.nanoTime();
        runner.run("paired", inputs, labels, rows, batch);
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    /** The partition in direct memory, placed the way the worker's download places it. */
    static ByteBuffer aligned(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return AlignedBuffer.allocate(bytes.length, Npz.firstArrayData(ByteBuffer.wrap(bytes))).put(bytes).flip();
    }
}
