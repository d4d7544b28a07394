package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 5: the node the workers run on goes away (heartbeats stop, its processes die).
 * The node lifecycle controller marks it Unknown and taints it unreachable, the taint eviction
 * deletes its pods (DisruptionTarget); with no kubelet to confirm, they stay Terminating until the
 * node is declared out of service ({@code node.kubernetes.io/out-of-service}, what an administrator
 * or a cloud's node controller does for a machine that is gone; meanwhile the job says so in a
 * condition and a Warning Event), whereupon the pod garbage
 * collector fails them and the Job controller runs the indexes again elsewhere, without counting
 * them against {@code spec.retries}, redoing only unfinished partitions.
 */
@Tag("full")
class NodeNotReadyE2eTest {
    private static final String LOST = "e2e-cpu-lost";

    @Test
    void workersOnALostNodeAreEvictedAndRunAgainElsewhereAndTheJobFinishes() throws Exception {
        E2e.cluster().addCpuNode(LOST);
        cordon(FakeNodes.CPU_NODE, true);
        try {
            String ns = E2e.namespace("nodelost");
            E2e.exampleData("e2e", ns, 6, 1500);
            // the process kubelet's nodes: a node that goes NotReady while its machine stays
            E2e.apply(E2e.manifest(ns, "lost", "e2e", ns, 2, "retries: 0", "nodePool: " + Cluster.PROCESS_POOL));
            S3Uri progress = S3Uri.parse("out", "s3://e2e/" + ns + "/out/lost/progress/0.json");
            Cluster.awaitQuietly("rank 0 to finish its first partition", 240, () -> {
                Optional<byte[]> p = E2e.store().getIfExists(progress, "out");
                return p.isPresent() && Json.read(p.get(), Progress.class).partitionsDone() >= 1;
            });
            Progress before = Json.read(E2e.store().get(progress, "out"), Progress.class);
            assertTrue(before.partitionsDone() < before.partitionsTotal(), "rank 0 finished before its node was lost");
            List<Pod> onLost = workers(ns);
            assertTrue(onLost.stream().allMatch(p -> LOST.equals(p.getSpec().getNodeName())), () -> "placed: " + E2e.pods(ns));

            Map<String, String> written = Invariants.predictions("s3://e2e/" + ns + "/out/lost/");
            cordon(FakeNodes.CPU_NODE, false);
            E2e.cluster().loseNode(LOST);
            Cluster.awaitQuietly("the node lifecycle controller to taint the lost node unreachable", 120, () -> hasTaint(
                    E2e.admin().nodes().withName(LOST).get(), "node.kubernetes.io/unreachable"));
            Cluster.awaitQuietly("the taint eviction to delete the lost node's workers", 120, () -> onLost.stream().allMatch(p -> {
                Pod now = E2e.admin().pods().inNamespace(ns).withName(p.getMetadata().getName()).get();
                return now == null || now.getMetadata().getDeletionTimestamp() != null && now.getStatus().getConditions().stream()
                        .anyMatch(c -> "DisruptionTarget".equals(c.getType()) && "DeletionByTaintManager".equals(c.getReason()));
            }));
            // nothing ends those pods now: the job says so, naming the way out, instead of "workers running"
            InferenceJob waiting = E2e.await(ns, "lost", Duration.ofMinutes(3), "saying its workers are stuck", j ->
                    j.getStatus().conditions() != null && j.getStatus().conditions().stream().anyMatch(c ->
                            "WorkersStuckTerminating".equals(c.getType()) && "True".equals(c.getStatus())));
            assertTrue(waiting.getStatus().message().contains("node.kubernetes.io/out-of-service")
                    && waiting.getStatus().message().contains(LOST), waiting.getStatus().message());
            assertTrue(E2e.warningEvents(ns).stream().anyMatch(m -> m.startsWith("WorkersStuckTerminating: ")), () ->
                    "a Warning Event: " + E2e.warningEvents(ns));
            // the machine is gone for good: declare it, as the non-graceful node shutdown procedure does
            E2e.admin().nodes().withName(LOST).edit(n -> {
                n.getSpec().getTaints().add(new TaintBuilder().withKey("node.kubernetes.io/out-of-service")
                        .withValue("nodeshutdown").withEffect("NoExecute").build());
                return n;
            });

            InferenceJob done = Invariants.of(ns, "lost").fault("node lost with workers on it").keeping(written)
                .expect(Phase.Succeeded).within(Duration.ofMinutes(6)).check().job();
            assertEquals("6/6", done.getStatus().progress());
            assertTrue(done.getStatus().conditions().stream().noneMatch(c -> "WorkersStuckTerminating".equals(c.getType())
                    && "True".equals(c.getStatus())), () -> "the stuck condition cleared: " + done.getStatus().conditions());
            assertTrue(workers(ns).stream().filter(p -> "Succeeded".equals(p.getStatus().getPhase()))
                    .allMatch(p -> FakeNodes.CPU_NODE.equals(p.getSpec().getNodeName())), () -> "ran again elsewhere: " + E2e.pods(ns));
            assertEquals(1, E2e.workerJobs(ns), "no second worker Job");
            RankResult rank0 = Json.read(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/lost/ranks/0.json"), "out"),
                    RankResult.class);
            assertTrue(rank0.samples() - rank0.computedSamples() >= (long) before.partitionsDone() * 1500,
                    () -> "rank 0 computed " + rank0.computedSamples() + " of its " + rank0.samples() + " samples again");
            System.out.printf("node lost: rank 0 had %d of %d partitions done; its rerun computed %d of %d samples%n",
                    before.partitionsDone(), before.partitionsTotal(), rank0.computedSamples(), rank0.samples());
            E2e.assertOnePredictionPerPartition(ns, "lost");
        } finally {
            cordon(FakeNodes.CPU_NODE, false);
            E2e.cluster().removeNode(LOST);
        }
    }

    private static List<Pod> workers(String ns) {
        return E2e.admin().pods().inNamespace(ns).withLabel("dataparallel.io/role", "worker").list().getItems();
    }

    private static boolean hasTaint(Node node, String key) {
        return node.getSpec().getTaints() != null && node.getSpec().getTaints().stream().anyMatch(t -> key.equals(t.getKey()));
    }

    private static void cordon(String node, boolean unschedulable) {
        E2e.admin().nodes().withName(node).edit(n -> {
            n.getSpec().setUnschedulable(unschedulable);
            return n;
        });
    }
}
