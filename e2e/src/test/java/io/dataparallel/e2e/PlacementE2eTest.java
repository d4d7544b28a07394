package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Suite items 9 and 10: the real scheduler places GPU workers on the GPU node and CPU workers
 * on the CPU node (the process kubelet runs only what the scheduler bound to it), and Pod
 * Security {@code restricted} is enforced on the test namespaces and admits every pod the
 * operator creates.
 */
class PlacementE2eTest {
    @Test
    void gpuWorkersLandOnTheGpuNodeAndFailClearlyWithoutCuda() {
        E2e.Ran ran = E2e.run("gpu", "gpu", 2, 50, 2, "device: gpu", "nodePool: gpu");
        String ns = ran.namespace();
        InferenceJob done = ran.job();
        // there is no CUDA here: the worker's clear spec.device message is the expected outcome
        assertEquals(Phase.Failed, done.getStatus().phase(), () -> "status: " + done.getStatus());
        assertEquals(2, done.getStatus().failedPartitionCount(), () -> "status: " + done.getStatus());
        assertTrue(done.getStatus().failedPartitions().stream().anyMatch(f -> f.reason().contains("spec.device")),
                () -> "failed partitions: " + done.getStatus().failedPartitions());
        // the first index to fail exceeds maxFailedIndexes (0): the Job controller may stop the other before it starts
        List<Pod> workers = workers(ns);
        assertTrue(!workers.isEmpty() && workers.size() <= 2, () -> workers.size() + " worker pods");
        assertEquals(workers.size(), workers.stream().map(p -> p.getMetadata().getLabels()
                .get("batch.kubernetes.io/job-completion-index")).distinct().count(), "no index retried: exit 3 is not retried");
        // issue 10 item 18: the summarizer of a GPU job runs the CPU image, on the CPU node, with no GPU
        List<Pod> summarizer = E2e.admin().pods().inNamespace(ns).withLabel("dataparallel.io/role", "summarizer").list().getItems();
        assertEquals(1, summarizer.size());
        assertTrue(summarizer.get(0).getSpec().getContainers().get(0).getImage().contains("/worker:"), "the CPU worker image");
        assertEquals(E2e.cluster().jobNode(), summarizer.get(0).getSpec().getNodeName());
        for (Pod p : workers) {
            assertEquals(FakeNodes.GPU_NODE, p.getSpec().getNodeName(), "GPU workers go to the GPU node only");
            assertEquals("1", p.getSpec().getContainers().get(0).getResources().getLimits().get(FakeNodes.GPU_RESOURCE).toString());
        }
    }

    @Test
    void cpuWorkersLandOnTheCpuNodeAndRestrictedPodSecurityAdmitsThem() {
        E2e.Ran ran = E2e.run("cpu", "cpu", 2, 50, 2);
        String ns = ran.namespace();
        InferenceJob done = ran.job();
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
        List<Pod> pods = E2e.admin().pods().inNamespace(ns).list().getItems();
        assertEquals(3, pods.size(), "two workers and the summarizer, each admitted under restricted");
        for (Pod p : pods) {
            assertEquals(E2e.cluster().jobNode(), p.getSpec().getNodeName(), () -> p.getMetadata().getName() + " placed on the GPU node");
        }
        assertEquals("restricted", E2e.admin().namespaces().withName(ns).get().getMetadata().getLabels()
                .get("pod-security.kubernetes.io/enforce"));
        // the enforcement is real: a pod that is not restricted-compliant is refused in the same namespace
        Pod loose = new PodBuilder().withNewMetadata().withName("loose").withNamespace(ns).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("ghcr.io/dataparallel/worker:0.1.0").endContainer()
                .endSpec().build();
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> E2e.admin().pods().inNamespace(ns).resource(loose).create());
        assertEquals(403, refused.getCode());
        assertTrue(refused.getMessage().contains("violates PodSecurity \"restricted"), refused.getMessage());
    }

    @Test
    void workersNoNodeCanTakeShowTheSchedulersReasonInStatus() {
        String ns = E2e.namespace("nowhere");
        E2e.exampleData("e2e", ns, 1, 20);
        E2e.apply(E2e.manifest(ns, "nowhere", "e2e", ns, 1, "nodePool: nowhere"));
        InferenceJob stuck = E2e.await(ns, "nowhere", Duration.ofSeconds(90), "marked unschedulable",
                j -> j.getStatus() != null && j.getStatus().conditions() != null && j.getStatus().conditions().stream()
                        .anyMatch(c -> "WorkersUnschedulable".equals(c.getType()) && "True".equals(c.getStatus())));
        assertTrue(stuck.getStatus().message().contains("spec.nodePool ('nowhere'"), stuck.getStatus().message());
        assertTrue(stuck.getStatus().message().contains("node(s) didn't match Pod's node affinity/selector"),
                stuck.getStatus().message());
        String events = E2e.kubectlOk(List.of("get", "events", "-n", ns, "--field-selector", "reason=WorkersUnschedulable"));
        assertTrue(events.contains("workers cannot be scheduled"), events);
        E2e.kubectlOk(List.of("delete", "inferencejob", "nowhere", "-n", ns));
    }

    static List<Pod> workers(String ns) {
        return E2e.admin().pods().inNamespace(ns).withLabel("dataparallel.io/role", "worker").list().getItems();
    }
}
