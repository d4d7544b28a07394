package io.dataparallel.worker;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Tuning;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.summary.FailureGroups;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps one worker's account: partition results as they finish, {@code progress/<rank>.json}
 * after each, and the rank result ({@code ranks/<rank>.json}, CAI's execution info) last;
 * partitions that failed for their own input are listed in both with their reasons.
 * Thread-safe: partitions finish on the upload thread.
 */
final class RankReporter {
    private final ObjectStore store;
    private final OutputLayout layout;
    private final Plan plan;
    private final int rank;
    private final int partitionsTotal;
    private final List<PartitionResult> partitions = new ArrayList<>();
    private final List<FailedPartition> failedPartitions = new ArrayList<>();
    private final long startedMs;
    private final double cpuSecondsBefore;
    private final S3RequestTimer requests;
    private final String planHash;
    private boolean modelLoaded;

    RankReporter(ObjectStore store, OutputLayout layout, Plan plan, int rank, long startedMs, S3RequestTimer requests) {
        this.requests = requests;
        this.store = store;
        this.layout = layout;
        this.plan = plan;
        this.rank = rank;
        this.partitionsTotal = plan.partitionsOf(rank).size();
        this.startedMs = startedMs;
        this.planHash = PlanCodec.hash(plan);
        // CPU time counts from where end-to-end time does: the JVM's start for a process's first rank, now for a slot's later ones
        this.cpuSecondsBefore = startedMs > SystemInfo.processStartMs() ? SystemInfo.processCpuSeconds() : 0;
    }

    synchronized void started() {
        writeProgress(Progress.RUNNING, null, null);
    }

    /** Publishes that start-up is over, so a progress reader can tell loading from computing. */
    synchronized void modelLoaded() {
        modelLoaded = true;
        writeProgress(Progress.RUNNING, null, null);
    }

    /** Records a finished partition and publishes progress. */
    synchronized void finished(PartitionResult result) {
        partitions.add(result);
        writeProgress(Progress.RUNNING, null, null);
    }

    /** Records a partition whose own input failed (the rank goes on) and publishes progress. */
    synchronized void partitionFailed(String partition, String reason) {
        failedPartitions.add(new FailedPartition(partition, rank, reason));
        writeProgress(Progress.RUNNING, null, null);
    }

    /** The partitions that failed so far. */
    synchronized List<FailedPartition> failedPartitions() {
        return List.copyOf(failedPartitions);
    }

    /** Publishes the failure so the summarizer and the operator can say why. Best effort. */
    synchronized void failed(String partition, String error) {
        try {
            writeProgress(Progress.FAILED, partition, error);
        } catch (RuntimeException ignored) {
            // the store may be what failed; the exit code still tells Kubernetes
        }
    }

    /**
     * Writes {@code ranks/<rank>.json} and the final progress; returns the result.
     *
     * @param tuning how it computed, null when it computed nothing (its batch size is then the spec's)
     */
    synchronized RankResult complete(Tuning tuning, int batchSize, String device, int threads, double modelLoadSeconds) {
        long finishedMs = System.currentTimeMillis();
        double compute = 0;
        long batches = 0;
        long computedSamples = 0;
        long computedBytes = 0;
        long samples = 0;
        double download = 0;
        for (PartitionResult p : partitions) {
            samples += p.samples();
            download += p.downloadSeconds();
            if (!p.resumed()) {
                compute += p.computeSeconds();
                batches += p.batches();
                computedSamples += p.samples();
                computedBytes += p.bytes();
            }
        }
        double peakRss = SystemInfo.peakRssMb();
        S3RequestTimer.Stats s3 = requests.stats();
        RankResult result = new RankResult(
                compute,
                peakRss,
                batches > 0 ? compute / batches : 0,
                batches,
                batchSize,
                device,
                compute > 0 ? computedBytes * 8.0 / compute : 0,
                compute > 0 ? computedSamples / compute : 0,
                SystemInfo.cpuModel(),
                SystemInfo.memoryGb(),
                plan.spec().data().uri(),
                plan.spec().output().uri(),
                s3.numRequests(),
                s3.totalTime(),
                s3.avgTime(),
                s3.minTime(),
                s3.maxTime(),
                s3.firstRequestTime(),
                s3.lastResponseTime(),
                plan.job().id(),
                planHash,
                rank,
                plan.worldSize(),
                threads,
                samples,
                computedSamples,
                download,
                modelLoadSeconds,
                (finishedMs - startedMs) / 1000.0,
                SystemInfo.processCpuSeconds() - cpuSecondsBefore,
                peakRss,
                startedMs,
                finishedMs,
                List.copyOf(partitions),
                failedPartitions,
                tuning);
        store.putJson(layout.rankResult(rank), Json.writePretty(result), OutputLayout.FIELD);
        if (failedPartitions.isEmpty()) {
            writeProgress(Progress.DONE, null, null);
        } else {
            writeProgress(Progress.FAILED, failedPartitions.get(0).partition(), FailureGroups.message(failedPartitions));
        }
        return result;
    }

    private void writeProgress(String state, String failedPartition, String error) {
        long samples = 0;
        long computed = 0;
        double compute = 0;
        int resumed = 0;
        for (PartitionResult p : partitions) {
            samples += p.samples();
            if (p.resumed()) {
                resumed++;
            } else {
                computed += p.samples();
                compute += p.computeSeconds();
            }
        }
        Progress progress = new Progress(plan.job().id(), rank, state, partitionsTotal, partitions.size(), resumed, modelLoaded,
                samples, compute, computed, System.currentTimeMillis(), failedPartition, error, List.copyOf(failedPartitions), planHash);
        store.putJson(layout.progress(rank), Json.write(progress), OutputLayout.FIELD);
    }
}
