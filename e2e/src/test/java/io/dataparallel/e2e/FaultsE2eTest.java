package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Suite items 3 and 4: a worker process killed mid-partition is retried by the real Job
 * controller and redoes only what it had not finished; the operator process killed at each
 * phase boundary comes back (the Deployment's pod restarts) and finishes the job with no
 * duplicate child and no lost status.
 */
class FaultsE2eTest {
    @Test
    void aKilledWorkerIsRetriedByTheJobControllerAndRedoesOnlyTheUnfinishedPartitions() {
        String ns = E2e.namespace("killworker");
        E2e.exampleData("e2e", ns, 8, 1500);
        E2e.apply(E2e.manifest(ns, "kill", "e2e", ns, 2));
        S3Uri progress = S3Uri.parse("out", "s3://e2e/" + ns + "/out/kill/progress/0.json");
        Cluster.awaitQuietly("rank 0 to finish its first partition", 240, () -> {
            Optional<byte[]> p = E2e.store().getIfExists(progress, "out");
            return p.isPresent() && Json.read(p.get(), Progress.class).partitionsDone() >= 1;
        });
        Progress before = Json.read(E2e.store().get(progress, "out"), Progress.class);
        assertTrue(before.partitionsDone() < before.partitionsTotal(), "rank 0 finished before it could be killed: use larger partitions");
        Map<String, String> written = Invariants.predictions("s3://e2e/" + ns + "/out/kill/");
        Pod pod = indexPods(ns, 0).get(0);
        assertTrue(E2e.cluster().killPod(ns, pod.getMetadata().getName()), "the rank 0 worker was running");

        InferenceJob done = Invariants.of(ns, "kill").fault("worker SIGKILL mid-run").keeping(written).expect(Phase.Succeeded)
                .within(Duration.ofMinutes(6)).check().job();
        assertEquals("8/8", done.getStatus().progress());
        List<Pod> pods = indexPods(ns, 0);
        assertEquals(2, pods.size(), "the Job controller ran index 0 again in a new pod");
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(done.getStatus().workerJob()).get();
        assertEquals(1, workers.getStatus().getFailed(), "one failed pod");
        RankResult rank0 = Json.read(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/kill/ranks/0.json"), "out"),
                RankResult.class);
        assertTrue(rank0.computedSamples() < rank0.samples(), () -> "the retry computed " + rank0.computedSamples()
                + " of the rank's " + rank0.samples() + " samples: it should have skipped the finished partitions");
        assertTrue(rank0.samples() - rank0.computedSamples() >= (long) before.partitionsDone() * 1500);
    }

    @Test
    void theOperatorKilledAtEachPhaseBoundaryFinishesTheJobWithNoDuplicateChild() {
        String ns = E2e.namespace("killop");
        E2e.exampleData("e2e", ns, 4, 1000);
        E2e.apply(E2e.manifest(ns, "restart", "e2e", ns, 2));
        List<Phase> killedAt = new ArrayList<>();
        for (Phase boundary : List.of(Phase.Planning, Phase.Running, Phase.Summarizing)) {
            // the first pass may go through Planning into Running at once: take the phase it is in
            InferenceJob j = E2e.await(ns, "restart", Duration.ofMinutes(4), "at or past " + boundary,
                    job -> E2e.phase(job) != null && E2e.phase(job).ordinal() >= boundary.ordinal());
            if (E2e.phase(j).isFinal() || killedAt.contains(E2e.phase(j))) {
                continue;
            }
            Pod operator = LeaderElectionE2eTest.operatorPod();
            assertTrue(E2e.cluster().killPod(Cluster.RELEASE_NAMESPACE, operator.getMetadata().getName()), "the operator runs");
            killedAt.add(E2e.phase(j));
        }
        assertTrue(killedAt.size() >= 2, () -> "the operator was killed only at " + killedAt);
        Invariants.Outcome o = Invariants.of(ns, "restart").fault("operator SIGKILL at " + killedAt).expect(Phase.Succeeded)
                .within(Duration.ofMinutes(6)).check();
        InferenceJob done = o.job();
        assertEquals("4/4", done.getStatus().progress());
        assertEquals(1, o.workerJobs(), "one worker Job");
        assertEquals(1, o.summarizerJobs(), "one summarizer Job");
        assertEquals(1, E2e.admin().configMaps().inNamespace(ns).withLabel("dataparallel.io/role", "plan").list().getItems().size());
        assertEquals(2, E2e.admin().pods().inNamespace(ns).withLabel("batch.kubernetes.io/job-name", done.getStatus().workerJob())
                .list().getItems().size(), "each worker ran once");
        assertTrue(LeaderElectionE2eTest.operatorPod().getStatus().getContainerStatuses().get(0).getRestartCount() >= killedAt.size());
    }

    static List<Pod> indexPods(String ns, int index) {
        return E2e.admin().pods().inNamespace(ns).withLabel("batch.kubernetes.io/job-completion-index", Integer.toString(index))
                .list().getItems().stream()
                .filter(p -> "worker".equals(p.getMetadata().getLabels().get("dataparallel.io/role"))).toList();
    }
}
