package io.dataparallel.api.status;

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
 * @param bytes              input bytes in the plan
 * @param workers            WORLD_SIZE
 * @param progress           "done/total" partitions
 * @param eta                estimated seconds left while running
 * @param startTime          RFC 3339
 * @param completionTime     RFC 3339, once finished
 * @param planConfigMap      the ConfigMap holding the plan
 * @param workerJob          the Indexed Job running the workers
 * @param summarizerJob      the Job running the summarizer
 * @param resultUri          the output prefix
 * @param failedPartitions   partitions with no prediction, and why
 * @param metrics            the summary's figures, once summarized (samples/s from progress while running)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceJobStatus(
        Phase phase,
        String message,
        Long observedGeneration,
        List<Condition> conditions,
        Integer partitions,
        Long bytes,
        Integer workers,
        String progress,
        Long eta,
        String startTime,
        String completionTime,
        String planConfigMap,
        String workerJob,
        String summarizerJob,
        String resultUri,
        List<FailedPartition> failedPartitions,
        JobMetrics metrics) {
}
