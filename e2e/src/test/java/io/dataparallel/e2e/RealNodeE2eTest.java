package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.npz.Npz;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        // the pods are in their own network namespace: E2e.manifest names S3 at the bridge's address
        return E2e.manifest(ns, name, "e2e", ns, workers, lines);
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

    @Test
    void deletedMidRunItsPodsEndOnSigtermAndAppliedAgainItResumes() throws Exception {
        String ns = E2e.namespace("real-delete");
        E2e.exampleData("e2e", ns, 8, 4000);
        String manifest = manifest(ns, "astro", 2, "batchSize: 64");
        E2e.apply(manifest);
        E2e.await(ns, "astro", Duration.ofMinutes(3), "a partition done, not all",
                j -> j.getStatus() != null && j.getStatus().partitionsDone() != null && j.getStatus().partitionsDone() >= 1);
        int podsAtDelete = E2e.admin().pods().inNamespace(ns).list().getItems().size();
        Instant deleted = Instant.now();
        E2e.kubectlOk(List.of("delete", "inferencejob", "astro", "-n", ns, "--wait=true", "--timeout=60s"));
        // the garbage collector deletes the worker Job and its pods; the kubelet sends SIGTERM, and the workers end
        // well before the 30 s grace period would have them killed
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!E2e.admin().pods().inNamespace(ns).list().getItems().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, () -> "pods left 60 s after the delete: " + E2e.pods(ns));
            Thread.sleep(250);
        }
        double gone = Duration.between(deleted, Instant.now()).toMillis() / 1e3;
        assertTrue(podsAtDelete > 0 && gone < 25, "the workers ended on SIGTERM, not at the grace period's SIGKILL: " + gone + " s");
        System.out.printf("deleted mid-run: %d pods gone %.1f s after the delete (grace period 30 s)%n", podsAtDelete, gone);
        // nothing half-written: every prediction there is whole
        String prefix = "s3://e2e/" + ns + "/out/astro/predictions/";
        Map<String, String> kept = Invariants.predictions("s3://e2e/" + ns + "/out/astro/");
        for (String key : kept.keySet()) {
            Npz.read(E2e.store().get(S3Uri.parse("out", prefix + key), "out"));
        }
        // applied again, it computes only what was left, and the job's record keeps what the first run did
        E2e.apply(manifest);
        InferenceJob done = Invariants.of(ns, "astro").keeping(kept).expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check().job();
        assertEquals("8/8", done.getStatus().progress());
        long resumed = done.getStatus().metrics().resumedSamples() == null ? 0 : done.getStatus().metrics().resumedSamples();
        assertEquals(4000L * kept.size(), resumed, "the partitions done before the delete are resumed, not recomputed: " + kept.keySet());
        Path local = LocalMode.run("e2e", ns, E2e.manifest(ns, "astro", "e2e", ns, 2, "batchSize: 64"));
        String predictions = "e2e/" + ns + "/out/astro/predictions";
        assertEquals(8, LocalMode.assertSamePredictions(E2e.STATE.resolve("store").resolve(predictions), local.resolve(predictions)));
    }

    @Test
    void theNodesKubeletRestartedMidJobLeavesItSucceededWithNothingLostOrDuplicated() throws Exception {
        String ns = E2e.namespace("real-kubelet");
        E2e.exampleData("e2e", ns, 8, 4000);
        E2e.apply(manifest(ns, "astro", 2, "batchSize: 64"));
        E2e.await(ns, "astro", Duration.ofMinutes(3), "a partition done",
                j -> j.getStatus() != null && j.getStatus().partitionsDone() != null && j.getStatus().partitionsDone() >= 1);
        Map<String, String> written = Invariants.predictions("s3://e2e/" + ns + "/out/astro/");
        // as systemd restarts it: the containers run on under containerd, and the new kubelet takes them up again
        E2e.cluster().restartRealKubelet(5000);
        InferenceJob done = Invariants.of(ns, "astro").fault("the node's kubelet restarted mid-job").keeping(written)
                .expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check().job();
        assertEquals("8/8", done.getStatus().progress());
        List<Pod> workers = E2e.admin().pods().inNamespace(ns).withLabel("batch.kubernetes.io/job-name", done.getStatus().workerJob())
                .list().getItems();
        assertEquals(2, workers.size(), () -> "each worker ran once, through the restart: " + E2e.pods(ns));
        for (Pod p : workers) {
            assertEquals(0, p.getStatus().getContainerStatuses().get(0).getRestartCount(), p.getMetadata().getName());
        }
        Path local = LocalMode.run("e2e", ns, E2e.manifest(ns, "astro", "e2e", ns, 2, "batchSize: 64"));
        String predictions = "e2e/" + ns + "/out/astro/predictions";
        assertEquals(8, LocalMode.assertSamePredictions(E2e.STATE.resolve("store").resolve(predictions), local.resolve(predictions)));
    }

    @Test
    void theOperatorRunsAsTheChartsPodInItsImageUnderRestrictedSecurity() {
        Assumptions.assumeTrue(E2e.cluster().jobsOnRealNode(), "the operator runs on the process kubelet (-De2e.realNode=false)");
        Pod operator = LeaderElectionE2eTest.operatorPod();
        assertEquals(node.name(), operator.getSpec().getNodeName());
        var status = operator.getStatus().getContainerStatuses().get(0);
        assertTrue(status.getContainerID().startsWith("containerd://"), status.getContainerID());
        assertTrue(status.getImage().contains("/operator:"), status.getImage());
        var security = operator.getSpec().getContainers().get(0).getSecurityContext();
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation());
        assertTrue(security.getCapabilities().getDrop().contains("ALL"));
        String log = E2e.kubectlOk(List.of("logs", "-n", Cluster.RELEASE_NAMESPACE, "deployment/" + Cluster.RELEASE + "-operator"));
        assertFalse(log.isBlank(), "kubectl logs of the operator's Deployment");
    }

    @Test
    void aPodResolvesTheClustersServicesThroughCoreDnsAndKubectlExecReachesIt() throws InterruptedException {
        Assumptions.assumeTrue(E2e.cluster().jobsOnRealNode(), "no Services nor DNS with the API server on loopback");
        String operator = LeaderElectionE2eTest.operatorPod().getMetadata().getName();
        String resolv = E2e.kubectlOk(List.of("exec", "-n", Cluster.RELEASE_NAMESPACE, operator, "--", "cat", "/etc/resolv.conf"));
        assertTrue(resolv.contains("nameserver 10.96.0.10") && resolv.contains("svc.cluster.local"), resolv);
        String clusterIp = E2e.admin().services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP();
        String hosts = resolve(operator, "kubernetes.default.svc.cluster.local");
        assertTrue(hosts.startsWith(clusterIp + " "), () -> "kubernetes.default.svc.cluster.local is " + clusterIp + ": " + hosts);
    }

    /**
     * getent in the pod, again until it answers: CoreDNS Ready is not yet the kube-dns address programmed by
     * kube-proxy (its EndpointSlice and iptables follow a few seconds later), and a test that tainted the node
     * NoExecute earlier in the run has CoreDNS rescheduled meanwhile.
     */
    private static String resolve(String pod, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Tools.Result last;
        do {
            last = E2e.kubectl(List.of("exec", "-n", Cluster.RELEASE_NAMESPACE, pod, "--", "getent", "hosts", name));
            if (last.exitCode() == 0) {
                return last.output();
            }
            Thread.sleep(2_000);
        } while (System.nanoTime() < deadline);
        var dns = E2e.admin().pods().inNamespace("kube-system").withLabel("k8s-app", "kube-dns").list().getItems().stream()
                .map(p -> p.getMetadata().getName() + " " + p.getStatus().getPhase() + " " + p.getStatus().getConditions()).toList();
        return fail(name + " did not resolve within 90 s (" + last.output().strip() + "); CoreDNS pods: " + dns);
    }
}
