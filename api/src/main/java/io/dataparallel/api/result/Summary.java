package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * A job's aggregated metrics, written as {@code summary.json} and copied into
 * {@code status.metrics}. They describe the whole job: every partition with a prediction, whichever
 * run computed it. A run that resumes keeps the figures of the runs before it (their rank results,
 * their predictions' recorded figures, their cost); what this run did is beside them, in
 * {@code computedSamples} and {@code thisRun}.
 *
 * @param job                      namespace/name
 * @param planHash                 the plan the figures belong to
 * @param samples                  samples with a prediction (resumed partitions included)
 * @param partitions               partitions in the plan
 * @param partitionsDone           partitions with a prediction
 * @param partitionsResumed        of those, partitions whose prediction an earlier run (or an earlier attempt of a
 *                                 worker) wrote: skipped in this run, their figures kept from the run that computed them
 * @param workers                  ranks in the plan
 * @param failedWorkers            ranks with no result
 * @param failedPartitions         partitions with no prediction, and why
 * @param workersTimedOut          the workers ran past {@code spec.timeout} and were stopped (the Job controller's
 *                                 DeadlineExceeded, or the local deadline): why partitions are missing
 * @param samplesPerSecond         end to end: samples computed by the job's runs / their {@code seconds}
 * @param computeSamplesPerSecond  compute only: samples computed by the job's runs (where their figures were recorded)
 *                                 / seconds in which any worker, of any run, was computing them
 * @param computedSamples          samples computed in this run
 * @param resumedSamples           samples of the resumed partitions, computed earlier
 * @param seconds                  wall time of the job's runs, each from its first worker's start to its last worker's
 *                                 end, summed (the time between runs is not the job's)
 * @param cpuSeconds               process CPU time of every worker of the job's runs (cost on CPU)
 * @param gpuSeconds               worker wall seconds holding a GPU, all runs (cost on GPU); 0 on CPU
 * @param throughputBps            CAI's figure: the sum of the workers' throughput_bps within a run; over several runs,
 *                                 their input bits over their bits-weighted time
 * @param meanSecondsPerBatch      mean forward time per batch over all workers of the job's runs
 * @param downloadSeconds          S3 download seconds, summed over those workers
 * @param modelLoadSeconds         model load seconds, mean over those workers
 * @param slowestWorker            the worker with the longest end-to-end time
 * @param fastestWorker            the worker with the shortest end-to-end time
 * @param quality                  present when {@code spec.data.labels} is set
 * @param cost                     what the job's runs used and, where the node pool's prices are known, what they
 *                                 billed, all runs together ({@code thisRun.cost} is this run's alone)
 * @param tuning                   the batch sizes and replicas the workers computed with, and the trials that chose
 *                                 them; absent when no rank result records one
 * @param thisRun                  what this run computed and cost
 * @param earlierRuns              the earlier runs whose predictions this job counts, oldest first; empty on a first run
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record Summary(
        String job,
        String planHash,
        long samples,
        int partitions,
        int partitionsDone,
        int partitionsResumed,
        int workers,
        List<Integer> failedWorkers,
        List<FailedPartition> failedPartitions,
        boolean workersTimedOut,
        double samplesPerSecond,
        double computeSamplesPerSecond,
        long computedSamples,
        long resumedSamples,
        double seconds,
        double cpuSeconds,
        double gpuSeconds,
        double throughputBps,
        double meanSecondsPerBatch,
        double downloadSeconds,
        double modelLoadSeconds,
        WorkerTiming slowestWorker,
        WorkerTiming fastestWorker,
        Quality quality,
        Cost cost,
        TuningSummary tuning,
        RunRecord thisRun,
        List<RunRecord> earlierRuns) implements SummaryBuilder.With {

    public Summary {
        earlierRuns = earlierRuns == null ? List.of() : List.copyOf(earlierRuns); // absent in summaries written before runs were
    }

    /** A summary without its cost and tuning (callers written before they existed). */
    public Summary(String job, String planHash, long samples, int partitions, int partitionsDone, int partitionsResumed,
                   int workers, List<Integer> failedWorkers, List<FailedPartition> failedPartitions, boolean workersTimedOut,
                   double samplesPerSecond, double computeSamplesPerSecond, long computedSamples, long resumedSamples,
                   double seconds, double cpuSeconds, double gpuSeconds,
                   double throughputBps, double meanSecondsPerBatch, double downloadSeconds, double modelLoadSeconds,
                   WorkerTiming slowestWorker, WorkerTiming fastestWorker, Quality quality) {
        this(job, planHash, samples, partitions, partitionsDone, partitionsResumed, workers, failedWorkers, failedPartitions,
                workersTimedOut, samplesPerSecond, computeSamplesPerSecond, computedSamples, resumedSamples,
                seconds, cpuSeconds, gpuSeconds, throughputBps, meanSecondsPerBatch,
                downloadSeconds, modelLoadSeconds, slowestWorker, fastestWorker, quality, null, null, null, List.of());
    }

    /**
     * This summary with {@code billed} as this run's cost (the operator adds the billed amounts), and
     * the job's cost the sum of its earlier runs' and this one's.
     */
    public Summary withRunCost(Cost billed) {
        List<Cost> all = new java.util.ArrayList<>();
        earlierRuns.forEach(r -> all.add(r.cost()));
        all.add(billed);
        return withThisRun(thisRun == null ? null : thisRun.withCost(billed)).withCost(Cost.sum(all));
    }
}
