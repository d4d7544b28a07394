package io.dataparallel.worker.profile;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.sizing.RatePoint;
import io.dataparallel.worker.ModelRunner;
import java.util.List;

/**
 * Times the real forward loop ({@link ModelRunner#run}) on a partition's decoded arrays at one batch
 * size and thread count. Kept small and apart from the profile's other steps so that a fuller measure
 * (batch sizes × replica splits) can take its place.
 */
final class RateMeasure {
    private final ModelRunner model;
    private final String partition;
    private final List<NpyArray> inputs;
    private final long rows;
    private final double secondsPerPoint;

    /**
     * @param secondsPerPoint how long each point computes for, at least one batch and at most the partition:
     *                        long enough that per-call overheads average out, short enough for a quick profile
     */
    RateMeasure(ModelRunner model, String partition, List<NpyArray> inputs, long rows, double secondsPerPoint) {
        this.model = model;
        this.partition = partition;
        this.inputs = inputs;
        this.rows = rows;
        this.secondsPerPoint = secondsPerPoint;
    }

    /** Seconds for the first {@code count} samples in batches of {@code batch}. */
    double seconds(long count, int batch, int threads) {
        long t0 = System.nanoTime();
        model.run(partition, inputs, Math.min(rows, count), batch, threads);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Samples per second at {@code batch} with {@code threads} intra-op threads. */
    RatePoint measure(int batch, int threads) {
        long oneBatch = Math.min(rows, batch);
        seconds(oneBatch, batch, threads); // warm-up: the first call at a new shape or thread count is slower
        double first = seconds(oneBatch, batch, threads);
        long batches = Math.max(1, (long) Math.ceil(secondsPerPoint * oneBatch / Math.max(first, 1e-6) / batch));
        long count = Math.min(rows, batches * batch);
        double timed = seconds(count, batch, threads);
        return new RatePoint(batch, threads, 1, count / Math.max(timed, 1e-9));
    }
}
