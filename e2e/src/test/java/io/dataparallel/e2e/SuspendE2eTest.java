package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Suite item 8 and issue 10 item 14: spec.suspend stops and resumes the workers; a worker Job
 * suspended by another controller (as Kueue does) shows as Suspended, is never resumed by the
 * operator, and continues where it stopped once that controller resumes it.
 */
class SuspendE2eTest {
    @Test
    void specSuspendHoldsTheWorkersUntilItIsFalse() {
        String ns = E2e.namespace("suspend");
        E2e.exampleData("e2e", ns, 2, 100);
        E2e.apply(E2e.manifest(ns, "held", "e2e", ns, 2, "suspend: true"));
        InferenceJob held = E2e.awaitPhase(ns, "held", Phase.Suspended, Duration.ofMinutes(2));
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(held.getStatus().workerJob()).get();
        assertEquals(true, workers.getSpec().getSuspend());
        E2e.sleep(3000);
        assertEquals(List.of(), PlacementE2eTest.workers(ns), "no worker pod while suspended");
        // issue 10 item 11: the same Warning twice counts 2 on one Event (get + patch under the chart's RBAC)
        for (String batch : List.of("128", "256", "128")) {
            E2e.kubectlOk(List.of("patch", "inferencejob", "held", "-n", ns, "--type", "merge", "-p",
                    "{\"spec\":{\"batchSize\":" + batch + "}}"));
            String expected = batch.equals("128") ? "True" : "False";
            Cluster.awaitQuietly("SpecChangeRefused " + expected, 30, () -> E2e.get(ns, "held").getStatus().conditions().stream()
                    .anyMatch(c -> "SpecChangeRefused".equals(c.getType()) && expected.equals(c.getStatus())));
        }
        Cluster.awaitQuietly("the repeated SpecChangeRefused Event to count 2", 30, () -> E2e.admin().v1().events().inNamespace(ns)
                .list().getItems().stream().anyMatch(e -> "SpecChangeRefused".equals(e.getReason())
                        && e.getCount() != null && e.getCount() == 2));
        E2e.kubectlOk(List.of("patch", "inferencejob", "held", "-n", ns, "--type", "merge", "-p", "{\"spec\":{\"batchSize\":256}}"));
        E2e.kubectlOk(List.of("patch", "inferencejob", "held", "-n", ns, "--type", "merge", "-p", "{\"spec\":{\"suspend\":false}}"));
        InferenceJob done = E2e.awaitFinal(ns, "held", Duration.ofMinutes(4));
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
    }

    @Test
    void aJobSuspendedByAQueueIsNotResumedByTheOperatorAndContinuesWhenTheQueueResumesIt() {
        String ns = E2e.namespace("kueue");
        E2e.exampleData("e2e", ns, 6, 1500);
        String manifest = E2e.manifest(ns, "queued", "e2e", ns, 2).replace("  namespace: " + ns,
                "  namespace: " + ns + "\n  labels:\n    kueue.x-k8s.io/queue-name: team-a");
        E2e.apply(manifest);
        S3Uri progress = S3Uri.parse("out", "s3://e2e/" + ns + "/out/queued/progress/0.json");
        Cluster.awaitQuietly("rank 0 to finish a partition", 240, () -> {
            Optional<byte[]> p = E2e.store().getIfExists(progress, "out");
            return p.isPresent() && Json.read(p.get(), Progress.class).partitionsDone() >= 1;
        });
        String jobName = E2e.get(ns, "queued").getStatus().workerJob();
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(jobName).get();
        assertEquals("team-a", workers.getMetadata().getLabels().get("kueue.x-k8s.io/queue-name"), "the queue label reaches the Job");
        // the queue preempts the workload: it suspends the Job
        E2e.admin().batch().v1().jobs().inNamespace(ns).withName(jobName)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
        E2e.awaitPhase(ns, "queued", Phase.Suspended, Duration.ofSeconds(60));
        Cluster.awaitQuietly("the Job controller to stop the suspended workers", 90, () -> {
            Integer active = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(jobName).get().getStatus().getActive();
            return (active == null || active == 0) && PlacementE2eTest.workers(ns).stream()
                    .noneMatch(p -> "Running".equals(p.getStatus().getPhase()) && p.getMetadata().getDeletionTimestamp() == null);
        });
        // several operator passes later the Job is still suspended: the operator left it to the queue
        E2e.sleep(6000);
        assertEquals(true, E2e.admin().batch().v1().jobs().inNamespace(ns).withName(jobName).get().getSpec().getSuspend());
        InferenceJob queued = E2e.get(ns, "queued");
        assertEquals(Phase.Suspended, queued.getStatus().phase());
        assertTrue(queued.getStatus().message().contains("another controller"), queued.getStatus().message());

        // the queue admits it again
        E2e.admin().batch().v1().jobs().inNamespace(ns).withName(jobName)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}");
        InferenceJob done = E2e.awaitFinal(ns, "queued", Duration.ofMinutes(5));
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
        assertEquals("6/6", done.getStatus().progress());
        RankResult rank0 = Json.read(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/queued/ranks/0.json"), "out"),
                RankResult.class);
        assertTrue(rank0.computedSamples() < rank0.samples(), "resuming skipped the partitions already done");
    }
}
