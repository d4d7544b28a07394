package io.dataparallel.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What KueueE2eTest makes and reads of Kueue's API, as a cluster admin and a user would: a ResourceFlavor, a
 * ClusterQueue with a quota per test, a LocalQueue in the test's namespace, WorkloadPriorityClasses, and the Workload
 * Kueue makes for each worker Job (its conditions say whether it is admitted, and why it was evicted).
 */
final class KueueObjects {
    static final String API = "kueue.x-k8s.io/v1beta2";
    static final String FLAVOR = "e2e-flavor";
    /** The LocalQueue of each test's namespace: what an InferenceJob's {@code kueue.x-k8s.io/queue-name} names. */
    static final String LOCAL_QUEUE = "team";
    static final String LOW = "e2e-low";
    static final String HIGH = "e2e-high";

    private KueueObjects() {
    }

    /** One flavor for the one kind of node, and two priorities. */
    static void flavorAndPriorities() {
        E2e.apply("""
                apiVersion: %s
                kind: ResourceFlavor
                metadata: {name: %s}
                ---
                apiVersion: %s
                kind: WorkloadPriorityClass
                metadata: {name: %s}
                value: 100
                description: batch work that yields to the urgent
                ---
                apiVersion: %s
                kind: WorkloadPriorityClass
                metadata: {name: %s}
                value: 1000
                description: urgent work
                """.formatted(API, FLAVOR, API, LOW, API, HIGH));
    }

    /**
     * A ClusterQueue named after the namespace, for it alone, with this much CPU and memory (ephemeral storage, which
     * each worker requests for its scratch, is plenty); a workload of lower priority in it is preempted for a higher one.
     * Returns once Kueue says it is active.
     */
    static void queue(String namespace, String cpu, String memory) {
        E2e.apply("""
                apiVersion: %s
                kind: ClusterQueue
                metadata: {name: %s}
                spec:
                  namespaceSelector:
                    matchLabels: {kubernetes.io/metadata.name: %s}
                  preemption:
                    withinClusterQueue: LowerPriority
                  resourceGroups:
                  - coveredResources: [cpu, memory, ephemeral-storage]
                    flavors:
                    - name: %s
                      resources:
                      - {name: cpu, nominalQuota: "%s"}
                      - {name: memory, nominalQuota: "%s"}
                      - {name: ephemeral-storage, nominalQuota: 1Ti}
                ---
                apiVersion: %s
                kind: LocalQueue
                metadata: {name: %s, namespace: %s}
                spec:
                  clusterQueue: %s
                """.formatted(API, namespace, namespace, FLAVOR, cpu, memory, API, LOCAL_QUEUE, namespace, namespace));
        Cluster.awaitQuietly("ClusterQueue " + namespace + " active", 60, () -> condition(
                E2e.admin().genericKubernetesResources(API, "ClusterQueue").withName(namespace).get(), "Active").orElse(false));
    }

    /** An InferenceJob manifest of {@link E2e#manifest} in the test's LocalQueue, with extra labels and annotations. */
    static String queued(String manifest, String namespace, Map<String, String> labels, Map<String, String> annotations) {
        StringBuilder meta = new StringBuilder("  namespace: " + namespace + "\n  labels:\n    kueue.x-k8s.io/queue-name: "
                + LOCAL_QUEUE + "\n");
        labels.forEach((k, v) -> meta.append("    ").append(k).append(": ").append(v).append('\n'));
        if (!annotations.isEmpty()) {
            meta.append("  annotations:\n");
            annotations.forEach((k, v) -> meta.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        }
        return manifest.replace("  namespace: " + namespace + "\n", meta.toString());
    }

    /** The Workload Kueue made for a Job (it owns it), if any yet. */
    static Optional<GenericKubernetesResource> workload(String namespace, String job) {
        return E2e.admin().genericKubernetesResources(API, "Workload").inNamespace(namespace).list().getItems().stream()
                .filter(w -> w.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Job".equals(o.getKind())
                        && job.equals(o.getName())))
                .findFirst();
    }

    /** A condition's status, empty when the object or the condition is not there. */
    static Optional<Boolean> condition(GenericKubernetesResource r, String type) {
        return conditionField(r, type, "status").map("True"::equals);
    }

    static Optional<String> conditionField(GenericKubernetesResource r, String type, String field) {
        if (r == null || !(r.get("status", "conditions") instanceof List<?> conditions)) {
            return Optional.empty();
        }
        return conditions.stream().map(c -> (Map<?, ?>) c).filter(c -> type.equals(c.get("type")))
                .map(c -> String.valueOf(c.get(field))).findFirst();
    }

    /** Whether Kueue holds the Job (suspended), read from the Job itself. */
    static boolean suspended(Job job) {
        return Boolean.TRUE.equals(job.getSpec().getSuspend());
    }
}
