package io.dataparallel.core.sizing;

import java.util.List;

/**
 * The fit: a worker's wall time is {@code startup + bytes / downloadRate + samples / computeRate(batch,
 * threads)} with {@code samples = bytes × samplesPerByte} from the profiled partition, and the job's is
 * that of its most loaded rank under the planner's real byte-balanced assignment ({@link RankLoads}):
 * partitions are indivisible, so an average would promise what no assignment delivers. Download and
 * compute are added, not overlapped: the cautious reading, and the worker's prefetch hides at most the
 * smaller of the two. Billing is per pod, so the workers' cost is
 * {@code price × (workers × startup + totalBytes × secondsPerByte)}: it grows with every worker added,
 * which is what makes the cheapest configuration that meets a deadline the one with the fewest workers.
 */
public final class TimeModel {
    private final Profile profile;
    private final ComputeRate rate;
    private final RankLoads loads;

    public TimeModel(Profile profile, RankLoads loads) {
        String problem = profile.problem();
        if (!problem.isEmpty()) {
            throw new IllegalArgumentException("the profile cannot be used: " + problem);
        }
        this.profile = profile;
        this.rate = new ComputeRate(profile.points());
        this.loads = loads;
    }

    public Profile profile() {
        return profile;
    }

    public ComputeRate rate() {
        return rate;
    }

    public RankLoads loads() {
        return loads;
    }

    /** Seconds one worker of {@code size} spends per byte of partition: reading it, then computing its samples. */
    public double secondsPerByte(WorkerSize size, int batch, int replicas) {
        double samplesPerSecond = rate.samplesPerSecond(batch, replicas, size.threadsPerReplica(replicas));
        return 1 / profile.downloadBytesPerSecond() + profile.samplesPerByte() / samplesPerSecond;
    }

    /**
     * The prediction for one configuration.
     *
     * @param extraSeconds wall time outside the workers (planning, summarizing), added to the time
     * @param extraCost    the other pods' cost (summarizer, profiling), added to the cost
     */
    public SizingOption predict(int workers, WorkerSize size, int batch, int replicas, Prices prices,
                                double extraSeconds, BilledCost extraCost) {
        double perByte = secondsPerByte(size, batch, replicas);
        long rankBytes = loads.maxBytes(workers);
        double download = rankBytes / profile.downloadBytesPerSecond();
        double compute = rankBytes * perByte - download;
        double seconds = extraSeconds + profile.startupSeconds() + download + compute;
        return new SizingOption(workers, size, batch, replicas, seconds, profile.startupSeconds(), download, compute,
                rankBytes, workerCost(workers, size, perByte, prices).plus(extraCost));
    }

    /** The workers' billed cost: one pod per rank, each billed for its own start-up, download and compute. */
    public BilledCost workerCost(int workers, WorkerSize size, double secondsPerByte, Prices prices) {
        // billing is linear in time, so the ranks' pods add up to one pod running all their seconds
        double podSeconds = workers * profile.startupSeconds() + loads.totalBytes() * secondsPerByte;
        return BilledCost.billed(prices, List.of(new PodUsage(PodUsage.Kind.WORKER, size, podSeconds)));
    }
}
