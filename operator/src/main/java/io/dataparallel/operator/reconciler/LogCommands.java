package io.dataparallel.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The kubectl command that shows a failing pod's log, for the message of a Failed job: it is the
 * next thing a user runs, so the message gives it whole, namespace included, ready to paste.
 */
final class LogCommands {
    private LogCommands() {
    }

    /** The log of a one-pod Job's pod (the summarizer, the profiling Job). */
    static String job(String namespace, String job) {
        return "kubectl logs -n " + namespace + " job/" + job;
    }

    /**
     * "rank N's log: kubectl logs ..." for the lowest of {@code failedRanks}: its latest pod by name, or,
     * when that pod is gone, the pods of that rank by the Job's labels. Empty when no rank failed.
     */
    static Optional<String> failedWorker(String namespace, Job workers, List<Pod> pods, List<Integer> failedRanks) {
        if (failedRanks.isEmpty()) {
            return Optional.empty();
        }
        int rank = Collections.min(failedRanks);
        Optional<Pod> latest = pods.stream().filter(p -> WorkerPods.rank(p) == rank)
                .max(Comparator.comparing(LogCommands::created));
        String command = latest.map(p -> "kubectl logs -n " + namespace + " " + p.getMetadata().getName())
                .orElse("kubectl logs -n " + namespace + " -l " + WorkerPods.JOB_NAME_LABEL + "=" + workers.getMetadata().getName()
                        + "," + WorkerPods.INDEX_LABEL + "=" + rank);
        return Optional.of("rank " + rank + "'s log: " + command);
    }

    // RFC 3339 in UTC, as the API server writes it: the text sorts as the time does
    private static String created(Pod pod) {
        String t = pod.getMetadata().getCreationTimestamp();
        return t == null ? "" : t;
    }
}
