package io.dataparallel.core.sizing;

/**
 * One measured compute rate: the forward pass at {@code batchSize} with {@code threads} intra-op
 * threads in each of {@code replicas} model replicas, timed over whole batches of a real partition.
 *
 * @param batchSize        samples per forward call
 * @param threads          intra-op threads per replica
 * @param replicas         model replicas sharing the worker (1 when replicas were not measured)
 * @param samplesPerSecond samples computed per second by the whole worker, decoding and inference
 */
public record RatePoint(int batchSize, int threads, int replicas, double samplesPerSecond) {
    public RatePoint {
        if (batchSize < 1 || threads < 1 || replicas < 1 || !(samplesPerSecond > 0) || Double.isInfinite(samplesPerSecond)) {
            throw new IllegalArgumentException("a rate point needs a positive batch size, threads, replicas and rate: "
                    + batchSize + ", " + threads + ", " + replicas + ", " + samplesPerSecond);
        }
    }

    /** The CPUs this point kept busy. */
    public int cpus() {
        return threads * replicas;
    }
}
