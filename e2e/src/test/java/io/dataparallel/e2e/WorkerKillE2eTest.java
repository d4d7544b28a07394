package io.dataparallel.e2e;

import io.dataparallel.core.testing.S3FaultProxy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.dataparallel.core.testing.S3FaultProxy.Fault;
import io.dataparallel.core.testing.S3FaultProxy.Rule;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 2: a worker SIGKILLed mid-download, mid-upload, and between a prediction the
 * store has written and the answer that would have told the worker so. The fault proxy holds rank
 * 0 at exactly that point on partition-00001 (a download that never ends; a PUT the store got half
 * of; a PUT whose answer is held back), once, and the test kills the pod there. Each time the Job
 * controller runs index 0 again (one failed pod), the retry computes exactly the partitions that had
 * no prediction at the kill, no prediction seen before the kill changes its ETag, and the job has
 * one worker Job. Six equal partitions on two workers: rank 0 owns 00000, 00001 and 00002.
 */
class WorkerKillE2eTest {
    private static final int SAMPLES = 600;
    private static final int RANK0_PARTITIONS = 3;

    @Test
    void aWorkerKilledMidDownloadIsRetriedAndComputesOnlyWhatHadNoPrediction() throws IOException {
        String ns = E2e.namespace("killget");
        try (S3FaultProxy proxy = jobData(ns)) {
            Rule rule = proxy.add("GET", "/" + ns + "/data/partition-00001.npz", Fault.TRICKLE, 1);
            E2e.apply(S3FaultsE2eTest.throughProxy(E2e.manifest(ns, "kill", "e2e", ns, 2), proxy));
            // partition 00001 is prefetched while 00000 computes; once 00000 is written, the download is all rank 0 does
            Cluster.awaitQuietly("rank 0 held downloading partition-00001 with partition-00000 done", 240,
                    () -> rule.holding().get() == 1 && progress(ns).partitionsDone() == 1);
            Map<String, String> written = killRank0(ns, rule);
            assertTrue(written.containsKey("partition-00000.npz") && !written.containsKey("partition-00001.npz"), written::toString);
            retried(ns, "worker SIGKILL mid-download", written, 2);
            rerunKeepsTheRecord(ns, S3FaultsE2eTest.throughProxy(E2e.manifest(ns, "kill", "e2e", ns, 2), proxy));
        }
    }

    /**
     * The job applied again after its retried rank: nothing to compute, and the record is the first run's, the retry's
     * rank result included (it lists partition-00000, computed by the killed attempt, as resumed within the run).
     */
    private static void rerunKeepsTheRecord(String ns, String manifest) {
        String out = "s3://e2e/" + ns + "/out/kill/";
        Summary before = summary(out);
        List<RankResult> ranks = combined(out);
        E2e.kubectlOk(List.of("delete", "inferencejob", "kill", "-n", ns, "--cascade=foreground", "--wait=true"));
        Cluster.awaitQuietly("the garbage collector to remove the Jobs", 90,
                () -> E2e.admin().batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
        E2e.apply(manifest);
        InferenceJob again = Invariants.of(ns, "kill").fault("rerun after a retried rank").keeping(Invariants.predictions(out))
                .expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check().job();
        assertEquals("all 6 partitions done earlier; nothing to compute", again.getStatus().message());
        assertEquals(ranks, combined(out), "the retried rank's result and rank 1's stay in CAI's list");
        assertTrue(ranks.stream().anyMatch(r -> r.rank() == 0 && r.partitions().stream().anyMatch(p -> p.resumed())),
                () -> "rank 0's retry resumed the killed attempt's partition: " + ranks);
        Summary after = summary(out);
        assertEquals(before.samplesPerSecond(), after.samplesPerSecond(), 1e-9, after::toString);
        assertEquals(before.seconds(), after.seconds(), 1e-9, after::toString);
        assertEquals((long) 2 * RANK0_PARTITIONS * SAMPLES, after.resumedSamples());
    }

    private static List<RankResult> combined(String out) {
        return List.of(Json.read(E2e.store().get(S3Uri.parse("out", out + "combined_data.json"), "out"), RankResult[].class));
    }

    private static Summary summary(String out) {
        return Json.read(E2e.store().get(S3Uri.parse("out", out + "summary.json"), "out"), Summary.class);
    }

    @Test
    void aWorkerKilledMidUploadLeavesNoHalfObjectAndItsRetryWritesIt() throws IOException {
        String ns = E2e.namespace("killput");
        try (S3FaultProxy proxy = jobData(ns)) {
            Rule rule = proxy.add("PUT", "/" + ns + "/out/kill/predictions/partition-00001.npz", Fault.HALF_UPLOAD, 1);
            E2e.apply(S3FaultsE2eTest.throughProxy(E2e.manifest(ns, "kill", "e2e", ns, 2), proxy));
            // a prediction's upload starts once the previous one is written: 00000 is done, 00002 not yet uploading
            Cluster.awaitQuietly("rank 0 held with half of partition-00001's prediction sent", 240, () -> rule.holding().get() == 1);
            Map<String, String> written = killRank0(ns, rule);
            assertTrue(written.containsKey("partition-00000.npz") && !written.containsKey("partition-00001.npz"), written::toString);
            retried(ns, "worker SIGKILL mid-upload (half the PUT body at the store)", written, 2);
            // nothing but the six predictions, on the store's disk too: the half-received object was dropped
            E2e.assertOnePredictionPerPartition(ns, "kill");
        }
    }

    @Test
    void aWorkerKilledAfterTheStoreWroteItsPredictionButBeforeTheAnswerKeepsThatPrediction() throws IOException {
        String ns = E2e.namespace("killack");
        try (S3FaultProxy proxy = jobData(ns)) {
            Rule rule = proxy.add("PUT", "/" + ns + "/out/kill/predictions/partition-00001.npz", Fault.HOLD_RESPONSE, 1);
            E2e.apply(S3FaultsE2eTest.throughProxy(E2e.manifest(ns, "kill", "e2e", ns, 2), proxy));
            Cluster.awaitQuietly("rank 0 held with partition-00001's prediction written, unacknowledged", 240,
                    () -> rule.holding().get() == 1);
            Map<String, String> written = killRank0(ns, rule);
            assertTrue(written.containsKey("partition-00001.npz"), () -> "the store has the unacknowledged prediction: " + written);
            assertEquals(1, progress(ns).partitionsDone(), "the killed worker never learnt partition-00001 was written");
            Invariants.Outcome o = retried(ns, "worker SIGKILL between a prediction's write and its acknowledgement", written, 1);
            assertEquals(0, o.refusedPuts(), "the retry found the prediction and did not even try to write it again");
        }
    }

    /** The example model and six partitions of {@value #SAMPLES} samples under s3://e2e/NS/, and a fault proxy in front of the store. */
    private static S3FaultProxy jobData(String ns) throws IOException {
        E2e.exampleData("e2e", ns, 2 * RANK0_PARTITIONS, SAMPLES);
        return new S3FaultProxy(E2e.cluster().s3Endpoint(), E2e.cluster().podReachableAddress());
    }

    /** SIGKILLs rank 0's pod while the rule holds it; returns the predictions (key to ETag) the store had just before. */
    private static Map<String, String> killRank0(String ns, Rule rule) {
        Map<String, String> written = Invariants.predictions("s3://e2e/" + ns + "/out/kill/");
        List<Pod> pods = FaultsE2eTest.indexPods(ns, 0);
        assertEquals(1, pods.size(), () -> "one rank 0 pod before the kill: " + E2e.pods(ns));
        assertEquals(1, rule.holding().get(), "still held at the fault");
        assertTrue(E2e.cluster().killPod(ns, pods.get(0).getMetadata().getName()), "the rank 0 worker was running");
        return written;
    }

    /**
     * The job Succeeds with every invariant held and {@code written} unchanged; index 0 ran twice (one failed pod),
     * and its second run computed exactly {@code computed} partitions: those without a prediction at the kill.
     */
    private static Invariants.Outcome retried(String ns, String fault, Map<String, String> written, int computed) {
        Invariants.Outcome o = Invariants.of(ns, "kill").fault(fault).keeping(written).expect(Phase.Succeeded)
                .within(Duration.ofMinutes(6)).check();
        InferenceJob done = o.job();
        assertEquals("6/6", done.getStatus().progress());
        assertEquals(2, FaultsE2eTest.indexPods(ns, 0).size(), "the Job controller ran index 0 again in a new pod");
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(done.getStatus().workerJob()).get();
        assertEquals(1, workers.getStatus().getFailed(), "one failed pod: the killed one");
        RankResult rank0 = Json.read(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/kill/ranks/0.json"), "out"),
                RankResult.class);
        assertEquals((long) RANK0_PARTITIONS * SAMPLES, rank0.samples(), "rank 0 owns partitions 00000-00002");
        assertEquals((long) computed * SAMPLES, rank0.computedSamples(), () -> "the retry computed " + rank0.computedSamples()
                + " samples: only the " + computed + " partitions without a prediction at the kill, " + SAMPLES + " each");
        assertEquals(1, FaultsE2eTest.indexPods(ns, 1).size(), "rank 1 ran once, undisturbed");
        System.out.printf("WorkerKillE2eTest, %s: predictions at the kill %s; index 0's retry computed %d of its %d samples;"
                + " Succeeded %.0f s after apply%n", fault, written.keySet(), rank0.computedSamples(), rank0.samples(), o.seconds());
        return o;
    }

    private static Progress progress(String ns) {
        return Json.read(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/kill/progress/0.json"), "out"), Progress.class);
    }
}
