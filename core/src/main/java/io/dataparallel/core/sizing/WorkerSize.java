package io.dataparallel.core.sizing;

/**
 * What a worker pod requests: CPUs (Kubernetes CPU units, fractional allowed), memory in GiB and GPUs.
 */
public record WorkerSize(double cpus, double memoryGiB, int gpus) {
    public WorkerSize {
        if (!(cpus > 0) || !(memoryGiB >= 0) || gpus < 0 || Double.isInfinite(cpus + memoryGiB)) {
            throw new IllegalArgumentException("a worker size needs cpus > 0, memory >= 0 and gpus >= 0: "
                    + cpus + ", " + memoryGiB + ", " + gpus);
        }
    }

    /** Intra-op threads per replica: the whole CPUs each of {@code replicas} gets, at least one. */
    public int threadsPerReplica(int replicas) {
        return Math.max(1, (int) Math.floor(cpus / replicas));
    }
}
