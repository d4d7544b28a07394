package io.dataparallel.worker;

import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.summary.QualityData;
import io.dataparallel.worker.tuning.ComputeTuner;
import io.dataparallel.worker.tuning.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The worker's compute path on one partition already in memory: the batched forward of
 * {@link ModelRunner}, then the partition's quality data. The worker does not use this class;
 * it is the one public way in for the benchmark that times this path against a raw DJL loop
 * ({@code io.dataparallel.bench.PairedCompute}) and for profiling a model ahead of a run
 * ({@link #tune}), so that ModelRunner and DjlSetup stay package-private.
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
        Outputs out = runner.run(partition, inputs, rows, batchSize);
        if (labels != null) {
            QualityData.compute(labels, out.arrays().get(0));
        }
        return out.arrays();
    }

    /**
     * Runs as {@link #run} does, with {@code setting}'s batch size and replicas × threads; the outputs are the same
     * rows in the same order whatever the setting.
     */
    public List<NpyArray> run(String partition, List<NpyArray> inputs, long rows, Setting setting) {
        return runner.run(partition, inputs, rows, setting.batchSize(), new Replicas(setting.replicas(),
                setting.threadsPerReplica())).arrays();
    }

    /**
     * Chooses the batch size and replicas × threads for this model as a worker does on its first partition: trials on
     * the first rows of {@code inputs} ({@code rows} of them), within {@code request}'s time budget. What the request
     * gives is kept; the measured table comes back with the choice.
     *
     * @param memoryMb the memory a run may use, in MB: a setting whose peak resident memory passes
     *                 {@value ModelTrial#MEMORY_SHARE} of it does not fit
     */
    public Tuning tune(String partition, List<NpyArray> inputs, double memoryMb, ComputeTuner.Request request) {
        return new ComputeTuner(new ModelTrial(runner, partition, inputs, request.rows(), memoryMb)).tune(request);
    }

    @Override
    public void close() {
        runner.close();
    }
}
