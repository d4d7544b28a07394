package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A worker's progress, rewritten as {@code progress/<rank>.json} after every partition.
 * The operator reads it while the job runs; on failure it carries the reason, which the
 * summarizer reports for the rank's partitions.
 *
 * @param job              namespace/name
 * @param rank             the worker's rank
 * @param state            running, done or failed
 * @param partitionsTotal  partitions of this rank
 * @param partitionsDone   partitions with a prediction
 * @param partitionsResumed of those, partitions whose prediction already existed (skipped, not computed)
 * @param modelLoaded      the model is loaded: from here on the worker computes; until then it starts up
 * @param samplesDone      samples in those partitions
 * @param computeSeconds   compute time so far, this run
 * @param computedSamples  samples computed so far, this run
 * @param updatedMs        when written, epoch ms
 * @param failedPartition  the partition being processed when the worker failed, or the first that failed
 * @param error            the failure message, if any: the worker's, or its failed partitions' reasons
 * @param failedPartitions partitions whose own input failed (the worker went on with the others), with why
 * @param planHash         the plan the worker runs: a file left by an earlier run of the job, whose rank owned other
 *                         partitions, is not this run's progress
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Progress(
        String job,
        int rank,
        String state,
        int partitionsTotal,
        int partitionsDone,
        int partitionsResumed,
        boolean modelLoaded,
        long samplesDone,
        double computeSeconds,
        long computedSamples,
        long updatedMs,
        String failedPartition,
        String error,
        List<FailedPartition> failedPartitions,
        String planHash) {

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    /** Whether this file is the progress of a worker of the plan with {@code hash}, not one left by an earlier run. */
    public boolean belongsTo(String hash) {
        return hash.equals(planHash);
    }

    /** When written, as ISO-8601 text beside the epoch milliseconds. */
    @JsonProperty(value = "updated_at", access = JsonProperty.Access.READ_ONLY)
    public String updatedAt() {
        return IsoTime.of(updatedMs);
    }
}
