package io.dataparallel.bench;

import ai.djl.pytorch.jni.JniUtils;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.worker.ComputePath;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * libtorch's own profiler around one pass of the worker's compute path, after two warm-up passes
 * (the profiling executor optimises on its second call): a Chrome trace whose per-operator self
 * times {@code bench/python/trace_ops.py} tabulates, the same way as for PyTorch's trace from
 * {@code forward_settings.py --trace}, so the two sides' operators compare one to one.
 *
 * <p>{@code ProfileForward MODEL.pt PARTITION.npz BATCH THREADS TRACE.json}
 */
public final class ProfileForward {
    private ProfileForward() {
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args[0]);
        int batch = Integer.parseInt(args[2]);
        Map<String, NpyArray> arrays = Npz.read(PairedCompute.aligned(Path.of(args[1])), null);
        List<NpyArray> inputs = List.of(arrays.get("images"), arrays.get("magnitudes"));
        long rows = inputs.get(0).rows();
        ModelSpec spec = new ModelSpec(modelFile.toString(), List.of("images", "magnitudes"), null);
        try (ComputePath djl = ComputePath.load(modelFile, spec, Integer.parseInt(args[3]))) {
            for (int warm = 0; warm < 2; warm++) {
                djl.run("warm-up", inputs, null, rows, batch);
            }
            JniUtils.startProfile(false, false, false);
            long t0 = System.nanoTime();
            djl.run("profiled", inputs, null, rows, batch);
            double seconds = (System.nanoTime() - t0) / 1e9;
            JniUtils.stopProfile(args[4]);
            System.out.printf("{\"samples_per_second\": %.1f, \"trace\": \"%s\"}%n", rows / seconds, args[4]);
        }
    }
}
