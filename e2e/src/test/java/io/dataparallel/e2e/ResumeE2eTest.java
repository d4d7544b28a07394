package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An InferenceJob applied again over an output its earlier run filled (issue 12, item 2): the
 * planner takes the partitions done earlier out of the ranks, so the worker Job has as many
 * indexes as there is work left, and none at all when nothing is left; the summary keeps the
 * figures of the run that computed each partition.
 */
class ResumeE2eTest {
    @Test
    void aResumedJobSchedulesWorkersOnlyForWhatIsLeftAndNoneWhenNothingIs() {
        E2e.Ran ran = E2e.run("resume", "again", 4, 100, 2);
        String ns = ran.namespace();
        assertEquals(Phase.Succeeded, ran.phase(), () -> "status: " + ran.job().getStatus());
        Invariants.of(ns, "again").fault("none (first run)").expect(Phase.Succeeded).check();
        String out = "s3://e2e/" + ns + "/out/again/";
        Summary first = summary(out);
        assertEquals(0, first.partitionsResumed());

        // two predictions lost: the job applied again computes those two, on two workers, and keeps the others' figures
        delete(ns);
        E2e.store().deleteAll(S3Uri.parse("out", out + "predictions/partition-00001.npz"), "out");
        E2e.store().deleteAll(S3Uri.parse("out", out + "predictions/partition-00003.npz"), "out");
        Map<String, String> kept = Invariants.predictions(out);
        E2e.apply(E2e.manifest(ns, "again", "e2e", ns, 2));
        InferenceJob partly = Invariants.of(ns, "again").fault("two predictions deleted, job applied again").keeping(kept)
                .expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check().job();
        assertTrue(planned(partly).startsWith("4 partitions: 2 done earlier (skipped), 2 to run"), planned(partly));
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(partly.getStatus().workerJob()).get();
        assertEquals(2, workers.getSpec().getCompletions());
        assertEquals(4, partly.getStatus().partitionsDone());
        Summary mixed = summary(out);
        assertEquals(2, mixed.partitionsResumed());
        assertEquals(200, mixed.computedSamples());
        assertEquals(200, mixed.resumedSamples());
        assertTrue(mixed.computeSamplesPerSecond() > 0, mixed::toString);
        assertEquals(1, mixed.earlierRuns().size(), mixed::toString);
        assertEquals(first.seconds() + mixed.thisRun().seconds(), mixed.seconds(), 1e-6, "the job's wall time is both runs'");
        assertEquals(first.cost().cpuSeconds() + mixed.thisRun().cost().cpuSeconds(), mixed.cost().cpuSeconds(), 1e-6);
        List<RankResult> ranks = combined(out);
        assertEquals(2, ranks.stream().filter(r -> r.planHash().equals(mixed.planHash())).count(), ranks::toString);
        // the first run's two ranks each computed a partition still done (0 and 2): both stay, as that run wrote them
        List<RankResult> firstRanks = ranks.stream().filter(r -> r.planHash().equals(first.planHash())).toList();
        assertEquals(List.of(0, 1), firstRanks.stream().map(RankResult::rank).sorted().toList(), ranks::toString);
        assertTrue(firstRanks.stream().allMatch(r -> r.worldSize() == first.workers()), ranks::toString);

        // everything done: no worker Job at all, straight to the summary, which still has every figure
        delete(ns);
        Map<String, String> all4 = Invariants.predictions(out);
        E2e.apply(E2e.manifest(ns, "again", "e2e", ns, 2));
        InferenceJob all = Invariants.of(ns, "again").fault("everything done, job applied again").keeping(all4)
                .expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check().job();
        assertTrue(planned(all).startsWith("4 partitions: 4 done earlier (skipped), 0 to run"), planned(all));
        assertNull(all.getStatus().workerJob(), () -> "status: " + all.getStatus());
        assertEquals(List.of(Children.summarizerJob(all)), E2e.admin().batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .map(j -> j.getMetadata().getName()).toList(), "only the summarizer ran");
        Summary resumed = summary(out);
        assertEquals(4, resumed.partitionsResumed());
        assertEquals(400, resumed.samples());
        assertEquals(0, resumed.computedSamples());
        assertTrue(resumed.computeSamplesPerSecond() > 0, resumed::toString);
        assertEquals(mixed.samplesPerSecond(), resumed.samplesPerSecond(), 1e-9, "the job's figures, kept: " + resumed);
        assertEquals(mixed.seconds(), resumed.seconds(), 1e-9, resumed::toString);
        assertEquals(ranks, combined(out), "CAI's list keeps every rank result behind the job's predictions");
        assertEquals("all 4 partitions done earlier; nothing to compute", all.getStatus().message());
        assertTrue(all.getStatus().metrics().samplesPerSecond() > 0, () -> "status keeps the job's figures: " + all.getStatus());
        assertEquals(0, all.getStatus().metrics().thisRun().computedSamples());
        assertEquals(3, all.getStatus().metrics().runs(), () -> "the two runs that computed, and this one that billed its summarizer: " + all.getStatus());
        String events = E2e.kubectlOk(List.of("get", "events", "-n", ns, "--field-selector", "involvedObject.name=again"));
        assertTrue(events.contains("no workers needed: 4 partitions: 4 done earlier (skipped), 0 to run"), events);
    }

    /** Deletes the InferenceJob and waits until the garbage collector removed its Jobs and plan. */
    private static void delete(String ns) {
        E2e.kubectlOk(List.of("delete", "inferencejob", "again", "-n", ns, "--cascade=foreground", "--wait=true"));
        Cluster.awaitQuietly("the garbage collector to remove the Jobs and the plan ConfigMap", 90, () ->
                E2e.admin().batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty()
                        && E2e.admin().configMaps().inNamespace(ns).withLabel(Children.LABEL_JOB).list().getItems().isEmpty());
    }

    private static String planned(InferenceJob job) {
        return job.getStatus().conditions().stream().filter(c -> "Planned".equals(c.getType())).map(Condition::getMessage)
                .findFirst().orElse("no Planned condition: " + job.getStatus());
    }

    private static List<RankResult> combined(String out) {
        return List.of(Json.read(E2e.store().get(S3Uri.parse("out", out + "combined_data.json"), "out"), RankResult[].class));
    }

    private static Summary summary(String out) {
        return Json.read(E2e.store().get(S3Uri.parse("out", out + "summary.json"), "out"), Summary.class);
    }
}
