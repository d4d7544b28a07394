package io.dataparallel.worker;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.worker.tuning.ComputeTuner;
import io.dataparallel.worker.tuning.Setting;
import java.util.List;

/**
 * A tuning trial on the real model: the first rows of a partition computed with one
 * setting, timed; a setting that runs out of memory, or raises the process's peak resident
 * memory past {@link #MEMORY_SHARE} of what the worker may use, does not fit.
 */
final class ModelTrial implements ComputeTuner.Trial {
    /** The share of the worker's memory a trial may reach: the rest is for the partitions downloading and uploading. */
    static final double MEMORY_SHARE = 0.8;

    private final ModelRunner model;
    private final String partition;
    private final List<NpyArray> inputs;
    private final double memoryMb;

    /** @param memoryMb what the worker may use, in MB */
    ModelTrial(ModelRunner model, String partition, List<NpyArray> inputs, double memoryMb) {
        this.model = model;
        this.partition = partition;
        this.inputs = inputs;
        this.memoryMb = memoryMb;
    }

    @Override
    public double seconds(Setting s, long samples) throws ComputeTuner.DoesNotFit {
        double peakBefore = SystemInfo.peakRssMb();
        long t0 = System.nanoTime();
        try {
            model.run(partition, inputs, samples, s.batchSize(), new Replicas(s.replicas(), s.threadsPerReplica()));
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("out of memory")) {
                throw new ComputeTuner.DoesNotFit("libtorch ran out of memory");
            }
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ComputeTuner.DoesNotFit("the Java heap ran out");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double peak = SystemInfo.peakRssMb();
        // only a trial that raised the process's peak is judged by it: the partitions in memory are not its doing
        if (memoryMb > 0 && peak > peakBefore && peak > MEMORY_SHARE * memoryMb) {
            throw new ComputeTuner.DoesNotFit(String.format("peak resident memory %.0f MB is over %.0f %% of the worker's %.0f MB",
                    peak, MEMORY_SHARE * 100, memoryMb));
        }
        return seconds;
    }
}
