package io.dataparallel.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.Supplier;

/**
 * The worker Job's pods, listed at most once per pass and only when an observer asks: the
 * scheduling, stuck-pod and failure observers all read the same list, and a pass whose Job
 * status shows nothing to look into costs no request.
 */
final class WorkerPods implements Supplier<List<Pod>> {
    /** The label the Job controller puts on its pods: the Job's name. */
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    /** The label the Job controller puts on an Indexed Job's pods: the completion index, our rank. */
    static final String INDEX_LABEL = "batch.kubernetes.io/job-completion-index";

    private final Supplier<List<Pod>> list;
    private List<Pod> pods;

    private WorkerPods(Supplier<List<Pod>> list) {
        this.list = list;
    }

    /** The pods of {@code workers}, read from the API server when first asked for. */
    static WorkerPods of(KubernetesClient client, Job workers) {
        return new WorkerPods(() -> client.pods().inNamespace(workers.getMetadata().getNamespace())
                .withLabel(JOB_NAME_LABEL, workers.getMetadata().getName()).list().getItems());
    }

    /** Pods already at hand (tests, or a list read elsewhere). */
    static WorkerPods listed(List<Pod> pods) {
        return new WorkerPods(() -> pods);
    }

    @Override
    public List<Pod> get() {
        if (pods == null) {
            pods = List.copyOf(list.get());
        }
        return pods;
    }

    /** The rank a pod ran, from its completion-index label; -1 when it has none. */
    static int rank(Pod pod) {
        String index = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(INDEX_LABEL);
        return index == null ? -1 : Integer.parseInt(index);
    }
}
