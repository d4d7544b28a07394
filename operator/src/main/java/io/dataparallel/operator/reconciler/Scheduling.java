package io.dataparallel.operator.reconciler;

import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Reason;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * Workers the scheduler cannot place (no node matches the pool's selector, tolerations, GPUs
 * or the requests) would otherwise sit in Pending forever with the job showing Running. When
 * the worker Job has pods and none ready, the pods are read and the scheduler's own reason
 * becomes the condition WorkersUnschedulable, naming the pool.
 */
final class Scheduling {
    private Scheduling() {
    }

    static Observation observe(Job workers, WorkerPods pods, String pool) {
        Integer active = workers.getStatus() == null ? null : workers.getStatus().getActive();
        Integer ready = workers.getStatus() == null ? null : workers.getStatus().getReady();
        Optional<String> reason = Optional.empty();
        if (active != null && active > 0 && (ready == null || ready < active)) {
            reason = pods.get().stream().map(Scheduling::unschedulable).flatMap(Optional::stream).findFirst();
        }
        if (reason.isEmpty()) {
            return Observation.cleared(ConditionType.WorkersUnschedulable, Reason.Scheduled, "the scheduler placed the workers");
        }
        return Observation.problem(ConditionType.WorkersUnschedulable, Reason.Unschedulable, Reason.WorkersUnschedulable,
                "workers cannot be scheduled: " + reason.get() + "; check spec.nodePool ('" + pool
                + "': its nodeSelector, tolerations and GPUs in the Helm value nodePools), spec.resources and the cluster's nodes");
    }

    private static Optional<String> unschedulable(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())) {
                return Optional.of(c.getMessage() == null ? "the scheduler found no node" : c.getMessage());
            }
        }
        return Optional.empty();
    }
}
