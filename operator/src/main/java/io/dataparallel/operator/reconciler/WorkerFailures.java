package io.dataparallel.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the worker pods of failed ranks tell that the Job's status does not: a worker killed for
 * memory (the kubelet's {@code OOMKilled}) leaves no rank result and the Job says only "failed
 * indexes", so without this the user would not learn that {@code spec.resources.limits.memory}
 * is the fix. An OOM kill counts against {@code spec.retries} like any crash: it usually repeats,
 * and a persistent one must end, not loop.
 */
final class WorkerFailures {
    private WorkerFailures() {
    }

    /** The explanation for the failed ranks of {@code workers}, read from its pods; empty when none was OOM-killed. */
    static Optional<String> explain(Job workers, WorkerPods pods) {
        List<Integer> failed = JobStatuses.failedRanks(workers);
        return failed.isEmpty() ? Optional.empty() : oomKilled(pods.get(), failed);
    }

    /** One line naming the ranks of {@code failed} whose pods were OOM-killed, the limit and the field to raise. */
    static Optional<String> oomKilled(List<Pod> pods, List<Integer> failed) {
        TreeSet<Integer> ranks = new TreeSet<>();
        String limit = null;
        for (Pod pod : pods) {
            int rank = WorkerPods.rank(pod);
            if (rank < 0 || !failed.contains(rank) || !oomKilled(pod)) {
                continue;
            }
            ranks.add(rank);
            Quantity q = pod.getSpec().getContainers().get(0).getResources() == null
                    || pod.getSpec().getContainers().get(0).getResources().getLimits() == null ? null
                    : pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory");
            limit = q == null ? limit : q.toString();
        }
        if (ranks.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((ranks.size() == 1 ? "rank " : "ranks ") + ranks + " OOMKilled: a worker used more memory than its limit"
                + (limit == null ? "" : " (" + limit + ")") + "; raise spec.resources.limits.memory (the model, libtorch and"
                + " two partitions must fit in it) or use smaller partitions");
    }

    private static boolean oomKilled(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return false;
        }
        for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
            ContainerStateTerminated t = cs.getState() == null ? null : cs.getState().getTerminated();
            if (t != null && "OOMKilled".equals(t.getReason())) {
                return true;
            }
        }
        return false;
    }
}
