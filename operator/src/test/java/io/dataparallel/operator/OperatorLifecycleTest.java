package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.PlanConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suspend and resume (Kueue-style), the immutability of a planned job, and cleanup settings on children. */
class OperatorLifecycleTest {
    @TempDir
    static Path tmp;
    static OperatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new OperatorFixture(tmp);
        f.startOperator();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /** A test that fails while holding pods must not starve the next test of the harness's pod threads. */
    @AfterEach
    void releasePods() {
        f.jobs.release();
    }

    static InferenceJobSpec suspended(InferenceJobSpec s, Boolean suspend, Integer ttl) {
        return s.withTtlSecondsAfterFinished(ttl).withSuspend(suspend);
    }

    /** What kubectl edit does: read, change the spec, write; again when the operator wrote status in between. */
    static void edit(String name, UnaryOperator<InferenceJobSpec> change) {
        for (int attempt = 0; ; attempt++) {
            InferenceJob job = f.get(name);
            job.setSpec(change.apply(job.getSpec()));
            try {
                f.client().resource(job).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt > 20) {
                    throw e;
                }
            }
        }
    }

    static Job workers(String name) {
        return f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(name + "-workers").get();
    }

    @Test
    void aJobCreatedSuspendedWaitsAndResumesWhenUnsuspended() {
        f.apply("queued", suspended(f.spec("s3://out/queued/", 3), true, 600));
        InferenceJob waiting = f.awaitPhase("queued", Phase.Suspended);
        assertTrue(waiting.getStatus().conditions().stream().anyMatch(c -> c.getType().equals("Suspended") && c.getStatus().equals("True")));
        Job job = workers("queued");
        assertEquals(Boolean.TRUE, job.getSpec().getSuspend());
        assertEquals(600, job.getSpec().getTtlSecondsAfterFinished(), "spec.ttlSecondsAfterFinished cleans the child Jobs");
        assertTrue(f.s3.get("s3://out/queued/progress/0.json").isEmpty(), "no worker ran while suspended");

        edit("queued", s -> suspended(s, false, 600));
        InferenceJob done = f.awaitPhase("queued", Phase.Succeeded);
        assertTrue(done.getStatus().conditions().stream().anyMatch(c -> c.getType().equals("Suspended") && c.getStatus().equals("False")));
        assertEquals(Boolean.FALSE, workers("queued").getSpec().getSuspend());
    }

    @Test
    void suspendingMidRunKeepsFinishedPartitions() {
        f.jobs.hold(j -> j.getMetadata().getName().equals("paused-workers")
                && f.s3.get("s3://out/paused/ranks/0.json").isPresent());
        f.apply("paused", f.spec("s3://out/paused/", 3));
        f.await("paused", j -> f.s3.get("s3://out/paused/ranks/0.json").isPresent(), "rank 0 done");
        edit("paused", s -> suspended(s, true, null));
        f.awaitPhase("paused", Phase.Suspended);
        f.jobs.release();
        edit("paused", s -> suspended(s, false, null));
        f.awaitPhase("paused", Phase.Succeeded);
        int computed = 0;
        for (int r = 0; r < 3; r++) {
            RankResult result = Json.read(f.s3.require("s3://out/paused/ranks/" + r + ".json"), RankResult.class);
            computed += (int) result.partitions().stream().filter(p -> !p.resumed()).count();
        }
        assertEquals(OperatorFixture.PARTITIONS, computed, "every partition computed exactly once");
    }

    @Test
    void specChangesAfterPlanningAreRefusedWithACondition() {
        f.jobs.hold(j -> j.getMetadata().getName().equals("frozen-workers"));
        f.apply("frozen", f.spec("s3://out/frozen/", 2));
        f.await("frozen", j -> workers("frozen") != null, "worker Job");
        edit("frozen", s -> s.withBatchSize(64));
        InferenceJob refused = f.await("frozen", j -> j.getStatus() != null && j.getStatus().conditions().stream()
                .anyMatch(c -> c.getType().equals("SpecChangeRefused") && c.getStatus().equals("True")), "SpecChangeRefused");
        assertEquals(refused.getMetadata().getGeneration(), refused.getStatus().observedGeneration());
        f.jobs.release();
        f.awaitPhase("frozen", Phase.Succeeded);
        int planned = PlanConfigMap.read(f.client().configMaps().inNamespace(OperatorFixture.NAMESPACE).withName("frozen-plan").get())
                .spec().batchSizeOrDefault();
        assertEquals(8, planned, "the job ran as planned");
        f.awaitEvents("frozen", es -> es.stream().anyMatch(e -> e.getReason().equals("SpecChangeRefused")), "SpecChangeRefused");
    }
}
