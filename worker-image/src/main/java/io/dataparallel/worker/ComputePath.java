package io.dataparallel.worker;

import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.summary.QualityData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The worker's compute path on one partition already in memory: the batched forward of
 * {@link ModelRunner}, then the partition's quality data. The worker does not use this class;
 * it is the one public way in for the benchmark that times this path against a raw DJL loop
 * ({@code io.dataparallel.bench.PairedCompute}), so that ModelRunner and DjlSetup stay
 * package-private.
 */
public final class ComputePath implements AutoCloseable {
    private final ModelRunner runner;

    private ComputePath(ModelRunner runner) {
        this.runner = runner;
    }

    /** Sets DJL up as a worker with {@code threads} compute threads does and loads the model on the CPU. */
    public static ComputePath load(Path modelFile, ModelSpec spec, int threads) {
        return load(modelFile, spec, threads, spec.channelsLastOrDefault());
    }

    /** As {@link #load(Path, ModelSpec, int)}, with images stored channels-last or not (the benchmark compares the two). */
    public static ComputePath load(Path modelFile, ModelSpec spec, int threads, boolean channelsLast) {
        DjlSetup.configure(threads, Map.of());
        return new ComputePath(ModelRunner.load(modelFile, spec, false, modelFile.toString(), new InputLayout(channelsLast)));
    }

    /**
     * Runs {@code rows} samples of {@code inputs} in batches of {@code batchSize}, then quality data when labels are given;
     * returns the model's outputs.
     */
    public List<NpyArray> run(String partition, List<NpyArray> inputs, NpyArray labels, long rows, int batchSize) {
        ModelRunner.Outputs out = runner.run(partition, inputs, rows, batchSize);
        if (labels != null) {
            QualityData.compute(labels, out.arrays().get(0));
        }
        return out.arrays();
    }

    @Override
    public void close() {
        runner.close();
    }
}
