package io.dataparallel.operator.reconciler;

import io.dataparallel.operator.events.Reason;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * Workers the scheduler cannot place (no node matches the pool's selector, tolerations, GPUs
 * or the requests) would otherwise sit in Pending forever with the job showing Running. When
 * the worker Job has pods and none ready, the pods are read once a pass and the scheduler's
 * own reason becomes a status condition and a Warning Event naming the pool.
 */
final class Scheduling {
    static final String UNSCHEDULABLE = "WorkersUnschedulable";

    private Scheduling() {
    }

    static void check(JobRun run, Job workers, String pool) {
        Integer active = workers.getStatus() == null ? null : workers.getStatus().getActive();
        Integer ready = workers.getStatus() == null ? null : workers.getStatus().getReady();
        Optional<String> reason = Optional.empty();
        if (active != null && active > 0 && (ready == null || ready < active)) {
            reason = run.client.pods().inNamespace(run.namespace())
                    .withLabel("batch.kubernetes.io/job-name", workers.getMetadata().getName()).list().getItems().stream()
                    .map(Scheduling::unschedulable).flatMap(Optional::stream).findFirst();
        }
        StatusDraft s = run.status;
        if (reason.isPresent()) {
            String message = "workers cannot be scheduled: " + reason.get() + "; check spec.nodePool ('" + pool
                    + "': its nodeSelector, tolerations and GPUs in the Helm value nodePools), spec.resources and the cluster's nodes";
            if (s.condition(UNSCHEDULABLE, true, "Unschedulable", message, run.generation())) {
                run.events.warning(run.job, Reason.WorkersUnschedulable, message);
            }
            s.set(x -> x.withMessage(message));
        } else if (s.isTrue(UNSCHEDULABLE)) {
            s.condition(UNSCHEDULABLE, false, "Scheduled", "the scheduler placed the workers", run.generation());
        }
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
