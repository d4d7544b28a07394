package io.dataparallel.worker;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.worker.tuning.ComputeTuner;
import io.dataparallel.worker.tuning.Setting;
import java.util.List;

/**
 * A tuning trial on the real model: rows of a partition computed with one setting, timed; a
 * setting that runs out of memory, or raises the process's peak resident memory past
 * {@link #MEMORY_SHARE} of what the worker may use, does not fit.
 *
 * <p>The trials compute the partition's rows in order, each from where the last one ended, and
 * their outputs are kept ({@link #kept()}): the worker goes on from there, so the rows a trial
 * computed are not computed twice. Batches are independent and each lands at its own rows, so
 * the outputs are those of any one setting, within rounding. Once the rows run out, a trial
 * times the first rows again and drops what it computed.
 */
final class ModelTrial implements ComputeTuner.Trial {
    /** The share of the worker's memory a trial may reach: the rest is for the partitions downloading and uploading. */
    static final double MEMORY_SHARE = 0.8;

    private final ModelRunner model;
    private final String partition;
    private final List<NpyArray> inputs;
    private final long rows;
    private final double memoryMb;
    private ModelRunner.Kept kept;

    /**
     * @param rows     the partition's rows, which {@code inputs} hold
     * @param memoryMb what the worker may use, in MB
     */
    ModelTrial(ModelRunner model, String partition, List<NpyArray> inputs, long rows, double memoryMb) {
        this.model = model;
        this.partition = partition;
        this.inputs = inputs;
        this.rows = rows;
        this.memoryMb = memoryMb;
        this.kept = model.startKeeping(partition, rows);
    }

    /** The partition's first rows, which the trials computed, and their outputs. */
    ModelRunner.Kept kept() {
        return kept;
    }

    @Override
    public double seconds(Setting s, long samples) throws ComputeTuner.DoesNotFit {
        double peakBefore = SystemInfo.peakRssMb();
        long t0 = System.nanoTime();
        try {
            Replicas replicas = new Replicas(s.replicas(), s.threadsPerReplica());
            if (kept.rows() + samples <= rows) {
                kept = model.keep(partition, inputs, kept, kept.rows() + samples, s.batchSize(), replicas);
            } else {
                model.run(partition, inputs, samples, s.batchSize(), replicas);
            }
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
