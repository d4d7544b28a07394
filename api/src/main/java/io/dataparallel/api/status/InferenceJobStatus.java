package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dataparallel.api.result.FailedPartition;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * What {@code kubectl get inferencejob -o yaml} shows under {@code status}, and what local
 * mode prints at the end. Each component's {@link JsonPropertyDescription} is its documentation:
 * the CRD's description, what {@code kubectl explain inferencejob.status} prints.
 *
 * <p>Copies are made with the generated {@code with…} methods and {@code with()…build()} ({@code @RecordBuilder}),
 * so a new field touches its declaration, its validation and the code that reads it, never the copies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record InferenceJobStatus(
        @JsonPropertyDescription("Where the job is in its life: Pending, Sizing (only with spec.deadline or spec.budget),"
                + " Planning, Running, Suspended, Summarizing, then Succeeded or Failed (see docs/status.md).")
        Phase phase,
        @JsonPropertyDescription("One line on why the job is in this phase; when it Failed, what failed and what to do.")
        String message,
        @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
        Long observedGeneration,
        @JsonPropertyDescription("batch/v1-style conditions, at most one per type (Planned, Progressing, Complete, Failed,"
                + " Suspended, SpecChangeRefused, WorkersUnschedulable, WorkersStuckTerminating); for"
                + " kubectl wait --for=condition=Complete (see docs/status.md).")
        @SchemaFrom(type = ConditionSchema[].class) List<Condition> conditions,
        @JsonPropertyDescription("Partitions in the plan.")
        Integer partitions,
        @JsonPropertyDescription("Partitions with a prediction so far: the number behind progress, for scripts.")
        Integer partitionsDone,
        @JsonPropertyDescription("Input bytes in the plan: the partitions' sizes summed.")
        Long bytes,
        @JsonPropertyDescription("WORLD_SIZE: the workers the plan assigns partitions to.")
        Integer workers,
        @JsonPropertyDescription("\"done/total\" partitions (3/8), for kubectl get; scripts read partitionsDone and"
                + " partitions.")
        String progress,
        @JsonPropertyDescription("Estimated seconds left while the workers run, from the partitions done so far.")
        Long eta,
        @JsonPropertyDescription("When planning started, RFC 3339 (2026-12-02T05:13:09Z).")
        String startTime,
        @JsonPropertyDescription("When the job Succeeded or Failed, RFC 3339; absent before.")
        String completionTime,
        @JsonPropertyDescription("The immutable ConfigMap holding the plan (<name>-plan), mounted into every worker.")
        String planConfigMap,
        @JsonPropertyDescription("The Indexed Job running the workers (<name>-workers).")
        String workerJob,
        @JsonPropertyDescription("The Job running the summarizer (<name>-summarizer).")
        String summarizerJob,
        @JsonPropertyDescription("The output prefix: spec.output.uri, ending with /. Read under its v0.1 name resultUri too.")
        @JsonAlias("resultUri") String outputUri,
        @JsonPropertyDescription("Partitions with no prediction, and why: the first 100 (more would take the resource past"
                + " etcd's size limit);"
                + " summary.json under the output prefix lists them all.")
        List<FailedPartition> failedPartitions,
        @JsonPropertyDescription("How many partitions have no prediction, listed in failedPartitions or not.")
        Integer failedPartitionCount,
        @JsonPropertyDescription("The job's figures from summary.json once summarized (samples and samples/s from the"
                + " workers' progress while they run); a figure not known yet is absent.")
        JobMetrics metrics,
        @JsonPropertyDescription("Only with spec.deadline or spec.budget: what the operator chose and why, the prediction,"
                + " and after the run the actual time and cost beside it.")
        Sizing sizing) implements InferenceJobStatusBuilder.With {

    /** A job the operator has not yet written anything for. */
    public static final InferenceJobStatus EMPTY = InferenceJobStatusBuilder.builder().build();

    /**
     * Status lists at most this many failed partitions: thousands of entries would take the
     * resource past etcd's object size limit and every status write would be refused.
     */
    public static final int LISTED_FAILED_PARTITIONS = 100;

    /** The failed partitions status lists: the first {@link #LISTED_FAILED_PARTITIONS}, null for none. */
    public static List<FailedPartition> listed(List<FailedPartition> all) {
        return all == null || all.isEmpty() ? null : List.copyOf(all.subList(0, Math.min(all.size(), LISTED_FAILED_PARTITIONS)));
    }

    /** The count status shows beside the list, null for none. */
    public static Integer count(List<FailedPartition> all) {
        return all == null || all.isEmpty() ? null : all.size();
    }
}
