package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.result.TuningTrial;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spec.replicas and the measured choice of batch size and replicas, on the example model and data. */
class WorkerReplicasTest {
    @TempDir
    static Path tmp;
    static S3Fixture s3;
    static JobHarness harness;
    static final Path EXAMPLES = S3Fixture.repoRoot().resolve("examples");

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Fixture.withExample(tmp.resolve("store"), 2);
        harness = new JobHarness(s3, Files.createDirectories(tmp.resolve("work")));
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void twoReplicasWriteTheSameBytesAsOne() throws Exception {
        // batch 8 over 37 rows: 5 batches, so the two replicas finish theirs in any order; one thread each on both sides
        Plan one = run("one", 8, 1, 1);
        Plan two = run("two", 8, 2, 2);
        for (String key : List.of("part-0.npz", "part-1.npz")) {
            byte[] a = s3.require(one.spec().output().uri() + "predictions/" + key);
            byte[] b = s3.require(two.spec().output().uri() + "predictions/" + key);
            Map<String, NpyArray> ours = WorkerEndToEndTest.read(b);
            assertEquals(37L, ours.get("redshift_pred").shape()[0]);
            assertArrayEquals(WorkerEndToEndTest.read(a).get("redshift_pred").toDoubles(), ours.get("redshift_pred").toDoubles(), key);
        }
        RankResult r = harness.rankResult(two, 0);
        assertEquals(new Tuning(Tuning.GIVEN, 8, 2, 1, 0, List.of()), r.tuning());
        assertEquals(harness.rankResult(one, 0).numBatches(), r.numBatches()); // metrics do not depend on replicas
        assertEquals(10, r.numBatches());
        assertEquals(74, r.computedSamples());
    }

    @Test
    void unsetBatchSizeAndReplicasAreChosenByTrialsAndReported() throws Exception {
        Plan plan = run("chosen", null, null, 2);
        assertEquals(0, harness.runSummarizer(plan));
        Map<String, NpyArray> reference = WorkerEndToEndTest.read(Files.readAllBytes(EXAMPLES.resolve("reference/astro-small.predictions.npz")));
        for (String key : List.of("part-0.npz", "part-1.npz")) {
            NpyArray ours = WorkerEndToEndTest.read(s3.require(plan.spec().output().uri() + "predictions/" + key)).get("redshift_pred");
            assertTrue(WorkerEndToEndTest.maxAbsDiff(reference.get("redshift_pred").toDoubles(), ours.toDoubles()) <= 1e-5);
        }
        Tuning t = harness.rankResult(plan, 0).tuning();
        assertEquals(Tuning.MEASURED, t.source());
        // 37 rows: batch sizes 16 and 32 with one replica of 2 threads, then 2 replicas of 1 at the faster size
        assertEquals(List.of(16, 32), t.trials().subList(0, 2).stream().map(TuningTrial::batchSize).toList());
        assertEquals(List.of(1, 1, 2), t.trials().stream().map(TuningTrial::replicas).toList());
        assertTrue(t.trials().stream().anyMatch(TuningTrial::usable));
        assertEquals(2, t.replicas() * t.threadsPerReplica());
        assertEquals(t.batchSize(), harness.rankResult(plan, 0).batchSize());
        Summary summary = harness.summary(plan);
        assertNotNull(summary.tuning());
        assertEquals(0, summary.tuning().trialsRank());
        assertEquals(t.trials(), summary.tuning().trials());
        assertEquals(1, summary.tuning().choices().get(0).workers());
        assertFalse(summary.tuning().choices().isEmpty());
    }

    /** Runs the two-partition job into {@code name}'s output with one worker of {@code cpus} threads. */
    private Plan run(String name, Integer batchSize, Integer replicas, int cpus) {
        InferenceJobSpec spec = JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL, S3Fixture.EXAMPLE_INPUTS,
                List.of("redshift_pred"), S3Fixture.EXAMPLE_DATA, "redshift", "s3://results/" + name + "/", 1, 16)
                .withBatchSize(batchSize).withReplicas(replicas);
        Plan plan = harness.plan(new JobRef("default", name, "uid-" + name), spec);
        Map<String, String> env = harness.env(harness.writePlan(plan), 0, 1);
        env.put(WorkerLaunch.THREADS, Integer.toString(cpus));
        assertEquals(0, WorkerMain.run(WorkerLaunch.WORKER, env, System.currentTimeMillis()));
        return plan;
    }
}
