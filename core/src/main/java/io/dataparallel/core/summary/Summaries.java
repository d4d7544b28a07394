package io.dataparallel.core.summary;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.Quality;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.result.WorkerTiming;
import io.dataparallel.api.spec.Device;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The arithmetic from rank results to a {@link Summary}; no I/O ({@link Summarizer} reads and writes). */
final class Summaries {
    private Summaries() {
    }

    /**
     * @param resumed the partitions done by an earlier run (in no rank), with the figures of the run that computed them
     */
    static Summary of(Plan plan, String planHash, List<RankResult> results, List<PartitionResult> resumed, long samples,
                      int partitionsDone, List<Integer> failedWorkers, List<FailedPartition> failedPartitions,
                      boolean workersTimedOut, Quality quality) {
        long computed = 0;
        double bps = 0;
        double cpuSeconds = 0;
        double wallSum = 0;
        double computeSeconds = 0;
        long batches = 0;
        double download = 0;
        double modelLoad = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (RankResult r : results) {
            computed += r.computedSamples();
            bps += r.throughputBps();
            cpuSeconds += r.cpuSeconds();
            wallSum += r.endToEndSeconds();
            computeSeconds += r.computeSeconds();
            batches += r.numBatches();
            download += r.downloadSeconds();
            modelLoad += r.modelLoadSeconds();
            first = Math.min(first, r.startedMs());
            last = Math.max(last, r.finishedMs());
        }
        double seconds = results.isEmpty() ? 0 : (last - first) / 1000.0;
        // the whole job's work: this run's partitions, those a retried worker's earlier attempt computed, those done earlier
        List<PartitionResult> all = new ArrayList<>(resumed);
        results.forEach(r -> all.addAll(r.partitions()));
        long resumedSamples = 0;
        int partitionsResumed = 0;
        long everComputed = 0;
        for (PartitionResult p : all) {
            if (p.resumed()) {
                partitionsResumed++;
                resumedSamples += p.samples();
            }
            if (p.computeSeconds() > 0) {
                everComputed += p.samples();
            }
        }
        double everSeconds = computeSeconds(all, true);
        boolean gpu = plan.spec().deviceOrDefault() == Device.gpu;
        WorkerTiming slowest = results.stream().max(Comparator.comparingDouble(RankResult::endToEndSeconds))
                .map(Summaries::timing).orElse(null);
        WorkerTiming fastest = results.stream().min(Comparator.comparingDouble(RankResult::endToEndSeconds))
                .map(Summaries::timing).orElse(null);
        return new Summary(
                plan.job() == null ? null : plan.job().id(),
                planHash,
                samples,
                plan.partitionCount(),
                partitionsDone,
                partitionsResumed,
                plan.worldSize(),
                failedWorkers,
                failedPartitions,
                workersTimedOut,
                seconds > 0 ? computed / seconds : 0,
                computeSeconds(results) > 0 ? computed / computeSeconds(results) : 0,
                computed,
                resumedSamples,
                everSeconds > 0 ? everComputed / everSeconds : 0,
                seconds,
                cpuSeconds,
                gpu ? wallSum : 0,
                bps,
                batches > 0 ? computeSeconds / batches : 0,
                download,
                results.isEmpty() ? 0 : modelLoad / results.size(),
                slowest,
                fastest,
                quality,
                // what the workers used; the operator adds the billed amounts, which need requests and prices
                new Cost(wallSum, cpuSeconds, gpu ? wallSum : 0, null, null),
                TuningSummaries.of(results));
    }

    /**
     * Seconds during which at least one worker was computing: the union of every computed
     * partition's compute interval. Workers that overlap (a cluster) count once, workers
     * that ran one after another (a small machine) count in full, so samples over this is
     * an honest job-wide compute-only rate either way.
     */
    static double computeSeconds(List<RankResult> results) {
        List<PartitionResult> partitions = new ArrayList<>();
        results.forEach(r -> partitions.addAll(r.partitions()));
        return computeSeconds(partitions, false);
    }

    /** As {@link #computeSeconds(List)} over {@code partitions}; with {@code withResumed}, earlier runs' compute counts too. */
    static double computeSeconds(List<PartitionResult> partitions, boolean withResumed) {
        List<long[]> intervals = new ArrayList<>();
        for (PartitionResult p : partitions) {
            if ((withResumed || !p.resumed()) && p.computeSeconds() > 0) {
                long start = p.computeStartedMs();
                intervals.add(new long[] {start, start + Math.round(p.computeSeconds() * 1000)});
            }
        }
        intervals.sort(Comparator.comparingLong(a -> a[0]));
        long total = 0;
        long openStart = Long.MIN_VALUE;
        long openEnd = Long.MIN_VALUE;
        for (long[] i : intervals) {
            if (i[0] > openEnd) {
                total += openEnd - openStart;
                openStart = i[0];
                openEnd = i[1];
            } else {
                openEnd = Math.max(openEnd, i[1]);
            }
        }
        total += openEnd - openStart;
        return total / 1000.0;
    }

    private static WorkerTiming timing(RankResult r) {
        return new WorkerTiming(r.rank(), r.endToEndSeconds(), r.samplesPerSecond());
    }
}
