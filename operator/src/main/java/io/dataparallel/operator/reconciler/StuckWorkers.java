package io.dataparallel.operator.reconciler;

import io.dataparallel.operator.events.Reason;
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
 * runs; instead a status condition and a Warning Event name the pod, its node and what frees it.
 */
final class StuckWorkers {
    static final String STUCK = "WorkersStuckTerminating";
    /** Past the pod's own grace period: a kubelet that is there ends a pod well within this. */
    static final Duration MARGIN = Duration.ofSeconds(30);

    private StuckWorkers() {
    }

    static void check(JobRun run, Job workers) {
        Integer terminating = workers.getStatus() == null ? null : workers.getStatus().getTerminating();
        Optional<String> stuck = Optional.empty();
        if (terminating != null && terminating > 0) {
            stuck = describe(run.client.pods().inNamespace(run.namespace())
                    .withLabel(WorkerFailures.JOB_NAME_LABEL, workers.getMetadata().getName()).list().getItems(), Instant.now());
        }
        StatusDraft s = run.status;
        if (stuck.isPresent()) {
            if (s.condition(STUCK, true, "PodsNotEnding", stuck.get(), run.generation())) {
                run.events.warning(run.job, Reason.WorkersStuckTerminating, stuck.get());
            }
            String message = stuck.get();
            s.set(x -> x.withMessage(message));
        } else if (s.isTrue(STUCK)) {
            s.condition(STUCK, false, "PodsEnded", "the deleted worker pods have ended", run.generation());
        }
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
