package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dataparallel.api.result.FailedPartition;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What {@code kubectl get inferencejob -o yaml} shows under {@code status}, and what local
 * mode prints at the end.
 *
 * @param phase              the lifecycle phase
 * @param message            one line on why the job is in this phase
 * @param observedGeneration the spec generation this status describes
 * @param conditions         batch/v1-style conditions: Planned, Progressing, Complete, Failed, Suspended
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
 * <p>Copies are made with the {@code with…} methods, so a new field touches this file and the
 * code that reads it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        Sizing sizing) {

    /** A job the operator has not yet written anything for. */
    public static final InferenceJobStatus EMPTY = new InferenceJobStatus(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null);

    public InferenceJobStatus withPhase(Phase value) {
        return new InferenceJobStatus(value, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withMessage(String value) {
        return new InferenceJobStatus(phase, value, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withObservedGeneration(Long value) {
        return new InferenceJobStatus(phase, message, value, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withConditions(List<Condition> value) {
        return new InferenceJobStatus(phase, message, observedGeneration, value, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withPartitions(Integer value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, value, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withPartitionsDone(Integer value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, value, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withBytes(Long value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, value, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withWorkers(Integer value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, value, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withProgress(String value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, value, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withEta(Long value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, value, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withStartTime(String value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, value, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withCompletionTime(String value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, value, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withPlanConfigMap(String value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, value, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withWorkerJob(String value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, value, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withSummarizerJob(String value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, value, outputUri, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withOutputUri(String value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, value, failedPartitions, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withFailedPartitions(List<FailedPartition> value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, value, failedPartitionCount, metrics, sizing);
    }

    public InferenceJobStatus withFailedPartitionCount(Integer value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, value, metrics, sizing);
    }

    public InferenceJobStatus withMetrics(JobMetrics value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, value, sizing);
    }

    public InferenceJobStatus withSizing(Sizing value) {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions, partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob, summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics, value);
    }


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
