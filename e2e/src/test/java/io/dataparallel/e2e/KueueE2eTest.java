package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real Kueue ({@link Kueue}: its release's binary, CRDs and webhooks) queues the operator's worker Jobs: quota makes
 * a second job wait until the first is done; a higher-priority job preempts a running one, which keeps its finished
 * partitions; partial admission runs a job with fewer pods at a time than it has ranks. The summarizer is not queued.
 *
 * <p>Last but for the RBAC audit: Kueue's CRDs, queues and Workloads stay in the cluster after it (its webhooks do not),
 * so no other test meets them.
 */
@Order(Integer.MAX_VALUE - 1)
class KueueE2eTest {
    private static Kueue kueue;

    @BeforeAll
    static void startKueue() throws IOException, InterruptedException {
        Assumptions.assumeTrue(E2e.cluster().jobsOnRealNode(),
                "Kueue's webhooks are reached through a Service, which needs the real node's kube-proxy");
        kueue = Kueue.start(E2e.cluster(), E2e.REPO);
        KueueObjects.flavorAndPriorities();
    }

    @AfterAll
    static void stopKueue() {
        if (kueue != null) {
            kueue.close();
        }
    }

    @Test
    void withQuotaForOneJobASecondWaitsUntilTheFirstIsDone() {
        String ns = E2e.namespace("kueue-quota");
        // a worker asks 250m and 1Gi (the e2e values): quota for one job of two workers
        KueueObjects.queue(ns, "500m", "2Gi");
        E2e.exampleData("e2e", ns, 4, 1000);
        E2e.apply(queued(ns, "first", 2, Map.of()));
        E2e.awaitPhase(ns, "first", Phase.Running, Duration.ofMinutes(3));
        E2e.apply(queued(ns, "second", 2, Map.of()));
        InferenceJob waiting = E2e.await(ns, "second", Duration.ofMinutes(2), "waiting to be admitted",
                j -> E2e.phase(j) == Phase.Suspended && j.getStatus().message().contains("waiting to be admitted"));
        String secondJob = waiting.getStatus().workerJob();
        Cluster.awaitQuietly("Kueue's Workload for the second job, not admitted for want of quota", 60,
                () -> KueueObjects.workload(ns, secondJob).flatMap(w -> KueueObjects.condition(w, "QuotaReserved"))
                        .map(reserved -> !reserved).orElse(false));
        // while the first's workers run, the second is held: its Job suspended. Read in this order, a second Job seen
        // running means the first's was finished before (Kueue frees the quota when the Job finishes)
        String firstJob = E2e.get(ns, "first").getStatus().workerJob();
        while (true) {
            boolean held = KueueObjects.suspended(job(ns, secondJob));
            boolean firstFinished = finished(job(ns, firstJob));
            assertTrue(held || firstFinished, "the second job's workers were let run while the first's ran");
            if (firstFinished) {
                break;
            }
            E2e.sleep(500);
        }
        InferenceJob first = Invariants.of(ns, "first").fault("none (queued by Kueue)").expect(Phase.Succeeded).check().job();
        InferenceJob second = Invariants.of(ns, "second").fault("queued by Kueue behind a job using the quota")
                .sameAs(Invariants.outputUri(first)).expect(Phase.Succeeded).check().job();
        Instant firstDone = Instant.parse(job(ns, first.getStatus().workerJob()).getStatus().getCompletionTime());
        Instant secondStarted = Instant.parse(job(ns, secondJob).getStatus().getStartTime());
        assertFalse(secondStarted.isBefore(firstDone), "the second job's workers started (" + secondStarted
                + ") after the first's finished (" + firstDone + ")");
        assertEquals("4/4", second.getStatus().progress());
        System.out.printf("Kueue quota: the second job waited %.1f s; its workers started %.1f s after the first's finished%n",
                Duration.between(Instant.parse(second.getMetadata().getCreationTimestamp()), secondStarted).toMillis() / 1e3,
                Duration.between(firstDone, secondStarted).toMillis() / 1e3);
    }

    /** The longest of the three (about a minute): in the {@code full} group, run by reliability/run.sh, so mvn -B verify stays within its time. */
    @Test
    @Tag("full")
    void aHigherPriorityJobPreemptsARunningOneWhichKeepsItsFinishedPartitions() {
        String ns = E2e.namespace("kueue-preempt");
        KueueObjects.queue(ns, "500m", "2Gi");
        // long enough for the preemption to catch it mid-run: 12 partitions a rank
        E2e.exampleData("e2e", ns, 24, 4000);
        E2e.apply(queued(ns, "low", 2, Map.of("kueue.x-k8s.io/priority-class", KueueObjects.LOW), "batchSize: 64"));
        E2e.await(ns, "low", Duration.ofMinutes(3), "a partition done, not all",
                j -> j.getStatus() != null && j.getStatus().partitionsDone() != null && j.getStatus().partitionsDone() >= 1);
        Map<String, String> written = Invariants.predictions("s3://e2e/" + ns + "/out/low/");
        String lowJob = E2e.get(ns, "low").getStatus().workerJob();

        Instant highApplied = Instant.now();
        E2e.apply(queued(ns, "high", 2, Map.of("kueue.x-k8s.io/priority-class", KueueObjects.HIGH), "batchSize: 64"));
        InferenceJob preempted = E2e.await(ns, "low", Duration.ofMinutes(2), "preempted (Suspended, waiting to be admitted)",
                j -> E2e.phase(j) == Phase.Suspended && j.getStatus().message().contains("waiting to be admitted"));
        double toPreempt = Duration.between(highApplied, Instant.now()).toMillis() / 1e3;
        Cluster.awaitQuietly("the low job's Workload evicted by Kueue for preemption", 60,
                () -> KueueObjects.workload(ns, lowJob).map(w -> KueueObjects.condition(w, "Preempted").orElse(false)
                        || KueueObjects.conditionField(w, "Evicted", "reason").map("Preempted"::equals).orElse(false)).orElse(false));
        InferenceJob high = Invariants.of(ns, "high").fault("none (preempts a lower-priority job)").expect(Phase.Succeeded)
                .within(Duration.ofMinutes(5)).check().job();
        InferenceJob low = Invariants.of(ns, "low").fault("preempted by Kueue for a higher-priority job, admitted again")
                .keeping(written).sameAs(Invariants.outputUri(high)).expect(Phase.Succeeded).within(Duration.ofMinutes(8))
                .check().job();
        assertEquals(preempted.getStatus().workerJob(), low.getStatus().workerJob(), "the same worker Job, resumed");
        assertEquals("24/24", low.getStatus().progress());
        assertTrue(written.size() < 24, "the low job finished before it could be preempted: use larger partitions");
        long resumed = low.getStatus().metrics().resumedSamples() == null ? 0 : low.getStatus().metrics().resumedSamples();
        assertTrue(resumed >= 4000L * written.size(), () -> "the " + written.size() + " partitions predicted before the preemption"
                + " are resumed, not recomputed, when the job is admitted again: resumedSamples " + resumed);
        System.out.printf("Kueue preemption: the low job Suspended %.1f s after the high one was applied, %d of 24 partitions"
                + " predicted before; admitted again it resumed %d samples (%d partitions) and computed the rest%n",
                toPreempt, written.size(), resumed, resumed / 4000);
    }

    @Test
    void partialAdmissionRunsFewerWorkersAtATimeAndStillComputesEveryRank() {
        String ns = E2e.namespace("kueue-partial");
        // room for two of the four workers at once
        KueueObjects.queue(ns, "500m", "4Gi");
        E2e.exampleData("e2e", ns, 8, 2000);
        E2e.apply(KueueObjects.queued(E2e.manifest(ns, "partial", "e2e", ns, 4, "batchSize: 64"), ns, Map.of(),
                Map.of("kueue.x-k8s.io/job-min-parallelism", "1")));
        InferenceJob running = E2e.awaitPhase(ns, "partial", Phase.Running, Duration.ofMinutes(3));
        Job admitted = job(ns, running.getStatus().workerJob());
        assertEquals("1", admitted.getMetadata().getAnnotations().get("kueue.x-k8s.io/job-min-parallelism"),
                "the annotation reached the worker Job");
        assertEquals(4, admitted.getSpec().getCompletions(), "every rank is still to be completed");
        assertEquals(2, admitted.getSpec().getParallelism(), "Kueue admitted two pods at a time, what the quota holds");
        int most = 0;
        while (!E2e.phase(E2e.get(ns, "partial")).isFinal()) {
            long live = PlacementE2eTest.workers(ns).stream().filter(KueueE2eTest::live).count();
            most = Math.max(most, (int) live);
            assertTrue(live <= 2, "at most two worker pods at a time, not " + live + ": " + E2e.pods(ns));
            E2e.sleep(500);
        }
        InferenceJob done = Invariants.of(ns, "partial").fault("partially admitted by Kueue (2 of 4 workers at a time)")
                .expect(Phase.Succeeded).check().job();
        assertTrue(most >= 1, "worker pods were seen running");
        assertEquals("8/8", done.getStatus().progress());
        for (int rank = 0; rank < 4; rank++) {
            S3Uri result = S3Uri.parse("out", "s3://e2e/" + ns + "/out/partial/ranks/" + rank + ".json");
            assertTrue(E2e.store().getIfExists(result, "out").isPresent(), "rank " + rank + " ran and wrote its result");
        }
        System.out.printf("Kueue partial admission: parallelism %d of completions %d, at most %d worker pods at a time%n",
                admitted.getSpec().getParallelism(), admitted.getSpec().getCompletions(), most);
    }

    private static String queued(String ns, String name, int workers, Map<String, String> labels, String... extra) {
        return KueueObjects.queued(E2e.manifest(ns, name, "e2e", ns, workers, extra), ns, labels, Map.of());
    }

    private static Job job(String ns, String name) {
        return E2e.admin().batch().v1().jobs().inNamespace(ns).withName(name).get();
    }

    private static boolean finished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
    }

    /** A pod that holds its share of the node: not finished, not going away. */
    private static boolean live(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return p.getMetadata().getDeletionTimestamp() == null && ("Pending".equals(phase) || "Running".equals(phase));
    }
}
