package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dataparallel.api.result.FailedPartition;
import io.fabric8.kubernetes.api.model.Condition;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * What {@code kubectl get inferencejob -o yaml} shows under {@code status}, and what local
 * mode prints at the end.
 *
 * @param phase              the lifecycle phase
 * @param message            one line on why the job is in this phase
 * @param observedGeneration the spec generation this status describes
 * @param conditions         batch/v1-style conditions, one per {@link ConditionType}: Planned, Progressing, Complete, Failed,
 *                           Suspended, SpecChangeRefused, WorkersUnschedulable, WorkersStuckTerminating; each reason one of
 *                           {@link Reason}
 * @param partitions         partitions in the plan
 * @param partitionsDone     partitions with a prediction so far (the number behind {@code progress})
 * @param bytes              input bytes in the plan
 * @param workers            WORLD_SIZE
 * @param progress           "done/total" partitions, for {@code kubectl get}; read the numbers from
 *                           {@code partitionsDone} and {@code partitions}
 * @param eta                estimated seconds left while running
 * @param startTime          RFC 3339
 * @param completionTime     RFC 3339, once finished
 * @param planConfigMap      the ConfigMap holding the plan
 * @param workerJob          the Indexed Job running the workers
 * @param summarizerJob      the Job running the summarizer
 * @param outputUri          the output prefix, {@code spec.output.uri} as a prefix (read under its
 *                           v0.1 name {@code resultUri} too)
 * @param failedPartitions   partitions with no prediction, and why: the first {@link #LISTED_FAILED_PARTITIONS};
 *                           summary.json in the output prefix lists them all
 * @param failedPartitionCount how many partitions have no prediction (all of them, listed or not)
 * @param metrics            the summary's figures, once summarized (samples/s from progress while running)
 * @param sizing             with spec.deadline or spec.budget: what the operator chose and why, predicted and actual
 *
 * <p>Copies are made with the generated {@code with…} methods and {@code with()…build()} ({@code @RecordBuilder}),
 * so a new field touches its declaration, its validation and the code that reads it, never the copies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record InferenceJobStatus(
        Phase phase,
        String message,
        Long observedGeneration,
        List<Condition> conditions,
        Integer partitions,
        Integer partitionsDone,
        Long bytes,
        Integer workers,
        String progress,
        Long eta,
        String startTime,
        String completionTime,
        String planConfigMap,
        String workerJob,
        String summarizerJob,
        @JsonAlias("resultUri") String outputUri,
        List<FailedPartition> failedPartitions,
        Integer failedPartitionCount,
        JobMetrics metrics,
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
