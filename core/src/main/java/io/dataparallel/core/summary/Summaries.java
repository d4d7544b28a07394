package io.dataparallel.core.summary;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.Quality;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.RunRecord;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.result.WorkerTiming;
import io.dataparallel.api.spec.Device;
import io.dataparallel.core.output.ProvenanceCheck;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The arithmetic from rank results to a {@link Summary}; no I/O ({@link Summarizer} reads and writes). */
final class Summaries {
    private Summaries() {
    }

    /**
     * @param results this run's rank results
     * @param resumed the partitions done by an earlier run (in no rank), with the figures of the run that computed them
     * @param record  what the earlier runs left: their rank results and run records
     */
    static Summary of(Plan plan, String planHash, List<RankResult> results, List<PartitionResult> resumed, long samples,
                      int partitionsDone, List<Integer> failedWorkers, List<FailedPartition> failedPartitions,
                      boolean workersTimedOut, Quality quality, JobRecord record) {
        boolean gpu = plan.spec().deviceOrDefault() == Device.gpu;
        RunRecord thisRun = JobRecord.of(planHash, ProvenanceCheck.line(plan), plan.worldSize(), results, gpu);
        List<RunRecord> runs = new ArrayList<>(record.earlierRuns());
        runs.add(thisRun);
        // the job's workers: this run's and the earlier runs' still behind its predictions
        List<RankResult> workers = new ArrayList<>(record.earlierRanks());
        workers.addAll(results);
        double seconds = 0;
        long computedByRuns = 0;
        List<Cost> costs = new ArrayList<>();
        for (RunRecord r : runs) {
            seconds += r.seconds();
            computedByRuns += r.computedSamples();
            costs.add(r.cost());
        }
        Cost cost = Cost.sum(costs);
        double batchSeconds = 0;
        long batches = 0;
        double download = 0;
        double modelLoad = 0;
        for (RankResult r : workers) {
            batchSeconds += r.computeSeconds();
            batches += r.numBatches();
            download += r.downloadSeconds();
            modelLoad += r.modelLoadSeconds();
        }
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
        WorkerTiming slowest = workers.stream().max(Comparator.comparingDouble(RankResult::endToEndSeconds))
                .map(Summaries::timing).orElse(null);
        WorkerTiming fastest = workers.stream().min(Comparator.comparingDouble(RankResult::endToEndSeconds))
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
                seconds > 0 ? computedByRuns / seconds : 0,
                everSeconds > 0 ? everComputed / everSeconds : 0,
                thisRun.computedSamples(),
                resumedSamples,
                seconds,
                cost.cpuSeconds(),
                cost.gpuSeconds(),
                throughputBps(workers),
                batches > 0 ? batchSeconds / batches : 0,
                download,
                workers.isEmpty() ? 0 : modelLoad / workers.size(),
                slowest,
                fastest,
                quality,
                // what the workers used; the operator adds the billed amounts, which need requests and prices
                cost,
                TuningSummaries.of(workers),
                thisRun,
                record.earlierRuns());
    }

    /**
     * CAI's throughput_bps for the job: within one run the sum of its workers' (they ran side by side), over
     * several runs their input bits over the time each run's rate implies, so a run that computed little
     * weighs little.
     */
    static double throughputBps(List<RankResult> workers) {
        double bits = 0;
        double seconds = 0;
        for (List<RankResult> run : JobRecord.byRun(workers).values()) {
            double runBits = 0;
            double runBps = 0;
            for (RankResult r : run) {
                runBits += r.throughputBps() * r.computeSeconds();
                runBps += r.throughputBps();
            }
            if (runBps > 0 && Double.isFinite(runBps)) {
                bits += runBits;
                seconds += runBits / runBps;
            }
        }
        return seconds > 0 ? bits / seconds : 0;
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
