package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * InferenceJobs as shipped: the worker image built from worker-image/Dockerfile, run by upstream kubelet on
 * containerd and runc (the real node), with the pod the operator makes (read-only root, no capabilities, user
 * 10001, an emptyDir /tmp, the plan mounted by the kubelet), the kernel enforcing its memory limit, and
 * {@code kubectl logs} answered by the kubelet.
 */
class RealNodeE2eTest {
    private static Cluster.RealNodeHandle node;

    @BeforeAll
    static void start() throws Exception {
        String why = Cluster.realNodeUnavailable();
        Assumptions.assumeTrue(why == null, () -> "no real node here: " + why);
        node = E2e.cluster().realNode();
    }

    private static String manifest(String ns, String name, int workers, String... extra) {
        String[] lines = new String[extra.length + 1];
        lines[0] = "nodePool: " + Cluster.REAL_POOL;
        System.arraycopy(extra, 0, lines, 1, extra.length);
        // the pods are in their own network namespace: S3 through the bridge's address, which the operator reaches too
        return E2e.manifest(ns, name, "e2e", ns, workers, lines).replace(E2e.cluster().s3Endpoint().toString(), node.s3Endpoint());
    }

    @Test
    void aJobRunsInTheShippedImageOnKubeletAndContainerdAndItsLogsAreThere() throws Exception {
        String ns = E2e.namespace("real");
        E2e.exampleData("e2e", ns, 4, 300);
        String manifest = manifest(ns, "astro", 2);
        E2e.apply(manifest);
        InferenceJob done = Invariants.of(ns, "astro").expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check().job();
        assertEquals("4/4", done.getStatus().progress());
        assertEquals(1200L, done.getStatus().metrics().samples());

        // the workers run on the pool's nodes; the summarizer, small and poolless, wherever the scheduler puts it
        List<Pod> pods = E2e.admin().pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(done.getStatus().workerJob() + "-")).toList();
        assertEquals(2, pods.size(), () -> "two workers: " + E2e.pods(ns));
        for (Pod p : pods) {
            assertEquals(node.name(), p.getSpec().getNodeName(), p.getMetadata().getName());
            String image = p.getStatus().getContainerStatuses().get(0).getImageID();
            assertTrue(image.startsWith("sha256:") || image.contains("@sha256:"), "run from an image by the runtime: " + image);
            assertTrue(p.getStatus().getContainerStatuses().get(0).getContainerID().startsWith("containerd://"),
                    p.getStatus().getContainerStatuses().get(0).getContainerID());
        }
        // the first thing a user types when a job misbehaves
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(done.getStatus().workerJob()).get();
        Pod rank0 = FaultsE2eTest.indexPods(ns, 0).get(0);
        String log = E2e.kubectlOk(List.of("logs", "-n", ns, rank0.getMetadata().getName()));
        assertTrue(log.contains("rank 0 done"), () -> "kubectl logs of " + rank0.getMetadata().getName() + ":\n" + log);
        assertEquals(2, workers.getStatus().getSucceeded());

        // the same predictions as local mode's
        Path local = LocalMode.run("e2e", ns, E2e.manifest(ns, "astro", "e2e", ns, 2));
        String predictions = "e2e/" + ns + "/out/astro/predictions";
        assertEquals(4, LocalMode.assertSamePredictions(E2e.STATE.resolve("store").resolve(predictions), local.resolve(predictions)));
    }

    @Test
    void theKernelEnforcesTheMemoryLimitAndTheJobFailsNamingIt() {
        String ns = E2e.namespace("real-oom");
        E2e.exampleData("e2e", ns, 2, 200);
        E2e.apply(manifest(ns, "oom", 1, "retries: 0", "resources: {requests: {cpu: \"1\", memory: 100Mi}, limits: {memory: 100Mi}}"));
        InferenceJob done = Invariants.of(ns, "oom").fault("worker OOM-killed by the kernel (cgroup memory limit)")
                .expect(Phase.Failed).within(Duration.ofMinutes(5)).check().job();
        Pod pod = FaultsE2eTest.indexPods(ns, 0).get(0);
        var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertEquals("OOMKilled", terminated.getReason(), () -> "status of " + pod.getMetadata().getName() + ": " + pod.getStatus());
        assertEquals(137, terminated.getExitCode());
        String message = done.getStatus().message();
        assertTrue(message.contains("spec.resources.limits.memory") && message.contains("OOMKilled"), message);
    }
}
