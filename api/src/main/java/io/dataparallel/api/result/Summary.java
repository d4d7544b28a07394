package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * A job's aggregated metrics, written as {@code summary.json} and copied into
 * {@code status.metrics}. Built only from the rank results of this job's plan.
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
 * @param samplesPerSecond         end to end: samples computed in the latest runs / seconds
 * @param computeSamplesPerSecond  compute only: samples computed / seconds in which any worker was computing
 * @param computedSamples          samples computed in this run
 * @param resumedSamples           samples of the resumed partitions, computed earlier
 * @param combinedComputeSamplesPerSecond compute only over the whole job's work: samples computed now and earlier
 *                                 (where their figures were recorded) / seconds in which any worker, of this run or
 *                                 an earlier one, was computing them
 * @param seconds                  wall time from the first worker's start to the last worker's end
 * @param cpuSeconds               process CPU time of every worker (cost on CPU)
 * @param gpuSeconds               worker wall seconds holding a GPU (cost on GPU); 0 on CPU
 * @param throughputBps            CAI's figure for the job: sum of the workers' throughput_bps
 * @param meanSecondsPerBatch      mean forward time per batch over all workers
 * @param downloadSeconds          S3 download seconds, summed over workers
 * @param modelLoadSeconds         model load seconds, mean over workers
 * @param slowestWorker            the worker with the longest end-to-end time
 * @param fastestWorker            the worker with the shortest end-to-end time
 * @param quality                  present when {@code spec.data.labels} is set
 * @param cost                     what the job used and, where the node pool's prices are known, what it cost
 * @param tuning                   the batch sizes and replicas the workers computed with, and the trials that chose
 *                                 them; absent when no rank result records one
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
        double combinedComputeSamplesPerSecond,
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
        TuningSummary tuning) implements SummaryBuilder.With {

    /** A summary without its cost and tuning (callers written before they existed). */
    public Summary(String job, String planHash, long samples, int partitions, int partitionsDone, int partitionsResumed,
                   int workers, List<Integer> failedWorkers, List<FailedPartition> failedPartitions, boolean workersTimedOut,
                   double samplesPerSecond, double computeSamplesPerSecond, long computedSamples, long resumedSamples,
                   double combinedComputeSamplesPerSecond, double seconds, double cpuSeconds, double gpuSeconds,
                   double throughputBps, double meanSecondsPerBatch, double downloadSeconds, double modelLoadSeconds,
                   WorkerTiming slowestWorker, WorkerTiming fastestWorker, Quality quality) {
        this(job, planHash, samples, partitions, partitionsDone, partitionsResumed, workers, failedWorkers, failedPartitions,
                workersTimedOut, samplesPerSecond, computeSamplesPerSecond, computedSamples, resumedSamples,
                combinedComputeSamplesPerSecond, seconds, cpuSeconds, gpuSeconds, throughputBps, meanSecondsPerBatch,
                downloadSeconds, modelLoadSeconds, slowestWorker, fastestWorker, quality, null, null);
    }

    /** This summary with {@code value} as its cost (the operator adds the billed amounts). */
}
