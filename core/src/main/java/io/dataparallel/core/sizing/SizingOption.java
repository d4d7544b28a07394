package io.dataparallel.core.sizing;

import io.dataparallel.api.spec.DurationText;
import java.time.Duration;
import java.util.Locale;

/**
 * One configuration and what the {@link TimeModel} predicts for it.
 *
 * @param workers         ranks (WORLD_SIZE), one pod or local process each
 * @param size            what each worker requests
 * @param batchSize       samples per forward call
 * @param replicas        model replicas per worker
 * @param seconds         predicted wall time: the most loaded rank's start-up + download + compute, plus the
 *                        request's fixed extra seconds (planning, summarizing)
 * @param startupSeconds  the start-up part
 * @param downloadSeconds the most loaded rank's download part
 * @param computeSeconds  the most loaded rank's compute part
 * @param rankBytes       the most loaded rank's bytes under the planner's assignment
 * @param cost            predicted billed cost of the workers and the request's other pods
 */
public record SizingOption(int workers, WorkerSize size, int batchSize, int replicas, double seconds,
                           double startupSeconds, double downloadSeconds, double computeSeconds, long rankBytes,
                           BilledCost cost) {

    /** {@code 12 workers × 2 CPU, batch 512} (and the replicas when more than one). */
    public String text() {
        return workers + (workers == 1 ? " worker" : " workers") + " × " + cpusText(size.cpus()) + " CPU"
                + (size.gpus() > 0 ? " + " + size.gpus() + " GPU" : "") + ", batch " + batchSize
                + (replicas > 1 ? ", " + replicas + " replicas" : "");
    }

    /** The predicted wall time as a spec duration, rounded up to the second: {@code 14m20s}. */
    public String timeText() {
        return durationText(seconds);
    }

    /** {@code 2} or {@code 0.50}: whole CPUs without decimals. */
    public static String cpusText(double cpus) {
        return cpus == Math.rint(cpus) ? String.valueOf((long) cpus) : String.format(Locale.ROOT, "%.2f", cpus);
    }

    static String durationText(double seconds) {
        return DurationText.format(Duration.ofSeconds((long) Math.ceil(Math.max(1, seconds))));
    }
}
