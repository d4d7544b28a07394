package io.dataparallel.operator.reconciler;

import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Reason;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Worker pods deleted (evicted from a node that went away, say) that never end: the worker Job
 * has a podFailurePolicy, so the Job controller replaces a pod only once it is Failed, and a pod
 * whose kubelet is gone stays Terminating. The job would show "workers running" while nothing
 * runs; instead the condition WorkersStuckTerminating names the pod, its node and what frees it.
 */
final class StuckWorkers {
    /** Past the pod's own grace period: a kubelet that is there ends a pod well within this. */
    static final Duration MARGIN = Duration.ofSeconds(30);

    private StuckWorkers() {
    }

    static Observation observe(Job workers, WorkerPods pods, Instant now) {
        Integer terminating = workers.getStatus() == null ? null : workers.getStatus().getTerminating();
        Optional<String> stuck = terminating != null && terminating > 0 ? describe(pods.get(), now) : Optional.empty();
        return stuck.map(m -> Observation.problem(ConditionType.WorkersStuckTerminating, Reason.PodsNotEnding,
                        Reason.WorkersStuckTerminating, m))
                .orElse(Observation.cleared(ConditionType.WorkersStuckTerminating, Reason.PodsEnded, "the deleted worker pods have ended"));
    }

    /** One line on the pods deleted longer ago than their grace period plus {@link #MARGIN} and still not ended. */
    static Optional<String> describe(List<Pod> pods, Instant now) {
        List<Pod> stuck = pods.stream().filter(p -> stuck(p, now)).toList();
        if (stuck.isEmpty()) {
            return Optional.empty();
        }
        Pod first = stuck.get(0);
        String node = first.getSpec().getNodeName();
        return Optional.of(stuck.size() + " deleted worker pod(s) have not ended (" + first.getMetadata().getName()
                + (node == null ? "" : " on node " + node) + "): the Job controller runs their ranks again only once they end;"
                + " if the node is gone, taint it node.kubernetes.io/out-of-service=nodeshutdown:NoExecute or delete the Node");
    }

    private static boolean stuck(Pod pod, Instant now) {
        String deleted = pod.getMetadata().getDeletionTimestamp();
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (deleted == null || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        // the deletion timestamp is already the deletion time plus the grace period
        return Instant.parse(deleted).plus(MARGIN).isBefore(now);
    }
}
