package io.dataparallel.operator.reconciler;

import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.JobMetrics;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status being worked out during one reconcile pass, built into an immutable
 * {@link InferenceJobStatus} at the end. A condition's lastTransitionTime moves only when
 * its status changes, so re-running a pass writes nothing new.
 */
final class StatusDraft {
    static final String PLANNED = "Planned";
    static final String PROGRESSING = "Progressing";
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String SUSPENDED = "Suspended";
    static final String SPEC_CHANGE_REFUSED = "SpecChangeRefused";

    Phase phase;
    String message;
    Long observedGeneration;
    final List<Condition> conditions = new ArrayList<>();
    Integer partitions;
    Integer partitionsDone;
    Long bytes;
    Integer workers;
    String progress;
    Long eta;
    String startTime;
    String completionTime;
    String planConfigMap;
    String workerJob;
    String summarizerJob;
    String outputUri;
    List<FailedPartition> failedPartitions;
    Integer failedPartitionCount;
    JobMetrics metrics;

    static StatusDraft of(InferenceJobStatus s) {
        StatusDraft d = new StatusDraft();
        if (s == null) {
            return d;
        }
        d.phase = s.phase();
        d.message = s.message();
        d.observedGeneration = s.observedGeneration();
        if (s.conditions() != null) {
            d.conditions.addAll(s.conditions());
        }
        d.partitions = s.partitions();
        d.partitionsDone = s.partitionsDone();
        d.bytes = s.bytes();
        d.workers = s.workers();
        d.progress = s.progress();
        d.eta = s.eta();
        d.startTime = s.startTime();
        d.completionTime = s.completionTime();
        d.planConfigMap = s.planConfigMap();
        d.workerJob = s.workerJob();
        d.summarizerJob = s.summarizerJob();
        d.outputUri = s.outputUri();
        d.failedPartitions = s.failedPartitions();
        d.failedPartitionCount = s.failedPartitionCount();
        d.metrics = s.metrics();
        return d;
    }

    InferenceJobStatus build() {
        return new InferenceJobStatus(phase, message, observedGeneration, conditions.isEmpty() ? null : List.copyOf(conditions),
                partitions, partitionsDone, bytes, workers, progress, eta, startTime, completionTime, planConfigMap, workerJob,
                summarizerJob, outputUri, failedPartitions, failedPartitionCount, metrics);
    }

    /** Sets a condition; returns true when its status changed (a transition worth an Event). */
    boolean condition(String type, boolean status, String reason, String text, Long generation) {
        String value = status ? "True" : "False";
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            if (type.equals(c.getType())) {
                boolean changed = !value.equals(c.getStatus());
                if (changed || !Objects.equals(reason, c.getReason()) || !Objects.equals(text, c.getMessage())) {
                    conditions.set(i, new ConditionBuilder(c).withStatus(value).withReason(reason).withMessage(text)
                            .withObservedGeneration(generation)
                            .withLastTransitionTime(changed ? now() : c.getLastTransitionTime()).build());
                }
                return changed;
            }
        }
        conditions.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(text)
                .withObservedGeneration(generation).withLastTransitionTime(now()).build());
        return true;
    }

    boolean isTrue(String type) {
        return conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
