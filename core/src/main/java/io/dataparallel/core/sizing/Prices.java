package io.dataparallel.core.sizing;

/**
 * A node pool's prices, in the pool's currency: what one requested CPU, GiB of memory and GPU
 * cost per hour of pod wall time. Zero means unknown; with all three unknown only time and
 * resource-seconds (CPU-, GPU-seconds) are reported and a budget cannot be checked.
 */
public record Prices(double cpuHour, double gibHour, double gpuHour) {
    public static final Prices UNKNOWN = new Prices(0, 0, 0);

    public Prices {
        if (!(cpuHour >= 0) || !(gibHour >= 0) || !(gpuHour >= 0)
                || Double.isInfinite(cpuHour + gibHour + gpuHour)) {
            throw new IllegalArgumentException("prices must be 0 (unknown) or positive: " + cpuHour + ", " + gibHour
                    + ", " + gpuHour);
        }
    }

    /** True when any price is known. */
    public boolean known() {
        return cpuHour > 0 || gibHour > 0 || gpuHour > 0;
    }

    /** What a pod of this size costs per second. */
    public double perSecond(WorkerSize size) {
        return (size.cpus() * cpuHour + size.memoryGiB() * gibHour + size.gpus() * gpuHour) / 3600.0;
    }
}
