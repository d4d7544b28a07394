package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator stopped at every phase boundary and a new one started: no duplicate Jobs or
 * ConfigMaps, nothing planned twice, and the job still ends Succeeded with a complete status.
 */
class OperatorRestartTest {
    @TempDir
    Path tmp;
    OperatorFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new OperatorFixture(tmp);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void afterPlanningBeforeTheWorkerJob() {
        f.jobs.hold();
        f.startOperator();
        f.apply("restart-plan", f.spec("s3://out/restart-plan/", 3));
        Job first = await(() -> workerJob("restart-plan"));
        ConfigMap plan = configMap("restart-plan");
        f.stopOperator();
        // the state an operator leaves when it dies after storing the plan, before creating the Job or writing status
        f.client().batch().v1().jobs().resource(first).delete();
        InferenceJob job = f.get("restart-plan");
        InferenceJobStatus s = job.getStatus(); // null when the operator stopped before its first status write
        job.setStatus(InferenceJobStatus.EMPTY.withPhase(Phase.Planning).withMessage("listing partitions")
                .withObservedGeneration(s == null ? null : s.observedGeneration()).withStartTime(s == null ? null : s.startTime()));
        f.client().resource(job).updateStatus();
        f.startOperator();
        f.jobs.release();
        succeedsOnce("restart-plan");
        assertEquals(plan.getMetadata().getUid(), configMap("restart-plan").getMetadata().getUid(), "the plan is not made again");
    }

    @Test
    void afterTheWorkerJobWasCreated() {
        f.jobs.hold();
        f.startOperator();
        f.apply("restart-job", f.spec("s3://out/restart-job/", 3));
        Job first = await(() -> workerJob("restart-job"));
        f.stopOperator();
        f.startOperator();
        f.jobs.release();
        succeedsOnce("restart-job");
        assertEquals(first.getMetadata().getUid(), workerJob("restart-job").getMetadata().getUid(), "the Job is not made again");
    }

    @Test
    void whileWorkersRun() {
        f.startOperator();
        f.apply("restart-mid", f.spec("s3://out/restart-mid/", 3));
        await(() -> f.s3.get("s3://out/restart-mid/progress/0.json").orElse(null));
        f.stopOperator();
        f.startOperator();
        succeedsOnce("restart-mid");
    }

    @Test
    void afterTheSummarizerJobWasCreated() {
        f.jobs.hold(j -> j.getMetadata().getName().endsWith("-summarizer"));
        f.startOperator();
        f.apply("restart-sum", f.spec("s3://out/restart-sum/", 2));
        Job summarizer = await(() -> f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE)
                .withName("restart-sum-summarizer").get());
        f.stopOperator();
        f.startOperator();
        f.jobs.release();
        succeedsOnce("restart-sum");
        assertEquals(summarizer.getMetadata().getUid(), f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE)
                .withName("restart-sum-summarizer").get().getMetadata().getUid());
    }

    @Test
    void anUpgradeFindsTheSummarizerJobByTheNameStatusRecorded() {
        f.jobs.hold(j -> j.getMetadata().getName().endsWith("-summarizer"));
        f.startOperator();
        f.apply("upgrade-sum", f.spec("s3://out/upgrade-sum/", 2));
        Job current = await(() -> f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE)
                .withName("upgrade-sum-summarizer").get());
        f.await("upgrade-sum", j -> j.getStatus() != null && j.getStatus().summarizerJob() != null, "status records the summarizer Job");
        f.stopOperator();
        // what an earlier version left mid-summary: its summarizer Job under the old name, recorded in status
        f.client().batch().v1().jobs().resource(current).delete();
        await(() -> f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE)
                .withName("upgrade-sum-summarizer").get() == null ? Boolean.TRUE : null);
        current.getMetadata().setName("upgrade-sum-summary");
        current.getMetadata().setUid(null);
        current.getMetadata().setResourceVersion(null);
        current.setStatus(null);
        Job old = f.client().batch().v1().jobs().resource(current).create();
        InferenceJob job = f.get("upgrade-sum");
        job.setStatus(job.getStatus().withSummarizerJob("upgrade-sum-summary"));
        f.client().resource(job).updateStatus();
        f.startOperator();
        f.jobs.release();
        succeedsOnce("upgrade-sum");
        assertEquals(old.getMetadata().getUid(), f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE)
                .withName("upgrade-sum-summary").get().getMetadata().getUid(), "the recorded summarizer Job did the summary");
    }

    private void succeedsOnce(String name) {
        InferenceJob done = f.awaitPhase(name, Phase.Succeeded);
        InferenceJobStatus s = done.getStatus();
        assertEquals(OperatorFixture.PARTITIONS + "/" + OperatorFixture.PARTITIONS, s.progress());
        assertNotNull(s.metrics().computeSamplesPerSecond(), "status has the summary's metrics");
        assertEquals((long) OperatorFixture.PARTITIONS * OperatorFixture.SAMPLES, s.metrics().samples());
        assertNotNull(s.startTime());
        assertNotNull(s.completionTime());
        assertTrue(s.conditions().stream().filter(c -> c.getType().equals("Complete")).count() == 1, "one Complete condition");
        List<Job> jobs = f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE)
                .withLabel(Children.LABEL_JOB, name).list().getItems();
        assertEquals(2, jobs.size(), "one worker Job and one summarizer Job: " + jobs.stream().map(j -> j.getMetadata().getName()).toList());
        assertEquals(1, f.client().configMaps().inNamespace(OperatorFixture.NAMESPACE).withLabel(Children.LABEL_JOB, name)
                .list().getItems().size());
    }

    private Job workerJob(String name) {
        return f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(name + "-workers").get();
    }

    private ConfigMap configMap(String name) {
        return f.client().configMaps().inNamespace(OperatorFixture.NAMESPACE).withName(name + "-plan").get();
    }

    private static <T> T await(Supplier<T> what) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            T value = what.get();
            if (value != null) {
                return value;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return null;
    }
}
