package io.dataparallel.core.sizing;

import java.util.Collection;

/**
 * Billed cost: requested resources × pod wall time × price, summed over the job's pods (worker,
 * summarizer, profiling). The operator (status, summary) and local mode (plan, run) both call
 * {@link #billed} so a predicted and an actual cost are computed the same way.
 *
 * @param amount      in the prices' currency; 0 when the prices are unknown
 * @param priced      whether any price was known (else only the resource-seconds mean anything)
 * @param cpuSeconds  requested CPUs × wall seconds
 * @param gibSeconds  requested GiB × wall seconds
 * @param gpuSeconds  requested GPUs × wall seconds
 */
public record BilledCost(double amount, boolean priced, double cpuSeconds, double gibSeconds, double gpuSeconds) {
    public static final BilledCost ZERO = new BilledCost(0, false, 0, 0, 0);

    /** What {@code pods} cost at {@code prices}. */
    public static BilledCost billed(Prices prices, Collection<PodUsage> pods) {
        double amount = 0;
        double cpu = 0;
        double gib = 0;
        double gpu = 0;
        for (PodUsage pod : pods) {
            amount += prices.perSecond(pod.size()) * pod.seconds();
            cpu += pod.size().cpus() * pod.seconds();
            gib += pod.size().memoryGiB() * pod.seconds();
            gpu += pod.size().gpus() * pod.seconds();
        }
        return new BilledCost(amount, prices.known(), cpu, gib, gpu);
    }

    /** Both together, as for a job's workers and its other pods. */
    public BilledCost plus(BilledCost other) {
        return new BilledCost(amount + other.amount, priced || other.priced, cpuSeconds + other.cpuSeconds,
                gibSeconds + other.gibSeconds, gpuSeconds + other.gpuSeconds);
    }

    /**
     * What the search minimises: the amount when priced, else the requested CPU- and GPU-seconds
     * (a GPU-second counted as a CPU-second: with no prices there is no better exchange rate).
     */
    public double objective() {
        return priced ? amount : cpuSeconds + gpuSeconds;
    }

    /** An amount for people: {@code 1,234.50}, or below 1 three significant digits, {@code 0.0319}, {@code 0.000002}. */
    public static String money(double amount) {
        if (amount >= 1 || amount <= 0 || !Double.isFinite(amount)) {
            return String.format(java.util.Locale.ROOT, "%,.2f", amount);
        }
        return new java.math.BigDecimal(amount).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** For people: {@code 0.421} with prices, {@code 1,234 CPU-s} without. */
    public String text() {
        if (priced) {
            return money(amount);
        }
        String cpu = String.format(java.util.Locale.ROOT, "%,.0f CPU-s", cpuSeconds);
        return gpuSeconds > 0 ? cpu + String.format(java.util.Locale.ROOT, " + %,.0f GPU-s", gpuSeconds) : cpu;
    }
}
