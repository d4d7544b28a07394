package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.Json;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uneven partitions, ranks of different sizes, and resuming a worker that stopped part way. */
class WorkerResumeTest {
    /** Samples per partition: one sample, fewer than a batch, exactly a batch, many batches, empty. */
    static final int[] SAMPLES = {1, 5, 8, 29, 0, 13};
    static final int BATCH = 8;

    @TempDir
    static Path tmp;
    static S3Fixture s3;
    static JobHarness harness;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Fixture.withExample(tmp.resolve("store"), 0);
        harness = new JobHarness(s3, Files.createDirectories(tmp.resolve("work")));
        s3.createBucket("out");
        for (int i = 0; i < SAMPLES.length; i++) {
            s3.put("s3://data/uneven/p" + i + ".npz", CaiDataGenerator.partition(11, i, SAMPLES[i]));
        }
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    static InferenceJobSpec spec(String output, Integer workers) {
        return JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL, S3Fixture.EXAMPLE_INPUTS, null,
                "s3://data/uneven/", "redshift", output, workers, BATCH);
    }

    @Test
    void unevenPartitionsGiveOneRowPerSample() throws Exception {
        Plan plan = harness.plan(JobHarness.JOB, spec("s3://out/uneven/", 4));
        assertEquals(List.of(0, 0, 0, 0), harness.runWorkers(plan));
        assertEquals(0, harness.runSummarizer(plan));
        for (int i = 0; i < SAMPLES.length; i++) {
            NpyArray p = WorkerEndToEndTest.read(s3.require("s3://out/uneven/predictions/p" + i + ".npz")).get("predictions");
            assertEquals(SAMPLES[i], p.rows(), "rows of p" + i);
        }
        Summary summary = harness.summary(plan);
        assertEquals(56, summary.samples());
        assertEquals(6, summary.partitionsDone());
        assertEquals(56, summary.quality().samples());
        long batches = 0;
        for (int r = 0; r < 4; r++) {
            batches += harness.rankResult(plan, r).numBatches();
        }
        assertEquals(1 + 1 + 1 + 4 + 0 + 2, batches); // ceil(n / 8) per partition, none for the empty one
    }

    @Test
    void aRestartedWorkerComputesOnlyWhatIsLeftAndGivesTheSameOutput() throws Exception {
        Plan plan = harness.plan(JobHarness.JOB, spec("s3://out/resume/", 1));
        assertEquals(List.of(0), harness.runWorkers(plan));
        Map<String, byte[]> first = predictions(plan);
        RankResult firstAttempt = harness.rankResult(plan, 0);

        // the state a worker leaves when stopped after 2 of its 6 partitions
        List<Partition> mine = plan.partitionsOf(0);
        for (Partition p : mine.subList(2, mine.size())) {
            delete("out", "resume/predictions/" + p.key());
        }
        delete("out", "resume/ranks/0.json");

        assertEquals(List.of(0), harness.runWorkers(plan));
        RankResult second = harness.rankResult(plan, 0);
        List<String> computed = new ArrayList<>();
        for (PartitionResult p : second.partitions()) {
            if (!p.resumed()) {
                computed.add(p.key());
            }
        }
        assertEquals(List.of("p2.npz", "p3.npz", "p4.npz", "p5.npz"), computed);
        // the attempts merge: what the first computed keeps its figures, read back from its predictions
        for (int i = 0; i < 2; i++) {
            PartitionResult before = firstAttempt.partitions().get(i);
            PartitionResult kept = second.partitions().get(i);
            assertTrue(kept.resumed(), kept.toString());
            assertEquals(before.key(), kept.key());
            assertEquals(before.batches(), kept.batches());
            assertEquals(before.computeSeconds(), kept.computeSeconds(), 1e-4, kept.toString());
            assertEquals(before.computeStartedMs(), kept.computeStartedMs());
        }
        assertEquals(0 + 29 + 13, second.computedSamples() - 8); // p2 has 8 samples, p3 29, p4 0, p5 13
        assertEquals(56, second.samples());
        Map<String, byte[]> again = predictions(plan);
        assertEquals(first.keySet(), again.keySet());
        for (String key : first.keySet()) {
            assertArrayEquals(first.get(key), again.get(key), key);
        }
    }

    @Test
    void aRerunOfAFinishedJobComputesNothing() {
        Plan plan = harness.plan(JobHarness.JOB, spec("s3://out/rerun/", 2));
        assertEquals(List.of(0, 0), harness.runWorkers(plan));
        assertEquals(List.of(0, 0), harness.runWorkers(plan));
        for (int r = 0; r < 2; r++) {
            RankResult result = harness.rankResult(plan, r);
            assertEquals(0, result.computedSamples());
            assertTrue(result.partitions().stream().allMatch(PartitionResult::resumed));
        }
        assertEquals(0, harness.runSummarizer(plan));
        assertEquals(56, harness.summary(plan).samples());
    }

    @Test
    void aRankWithNoPartitionsFinishesWithAnEmptyResult() {
        Plan planned = harness.plan(JobHarness.JOB, spec("s3://out/idle/", 2));
        // the planner never makes idle ranks; a hand-made plan with one must still work
        Plan plan = new Plan(planned.version(), planned.job(), planned.spec(), 3, planned.keys(), planned.sizes(),
                planned.etags(), List.of(0, 3, 6, 6), List.of(), planned.model());
        assertEquals(List.of(0, 0, 0), harness.runWorkers(plan));
        RankResult idle = harness.rankResult(plan, 2);
        assertEquals(0, idle.samples());
        assertEquals(0, idle.numBatches());
        assertTrue(idle.partitions().isEmpty());
        assertEquals(0, harness.runSummarizer(plan));
        assertEquals(56, harness.summary(plan).samples());
    }

    @Test
    void anotherJobCannotWriteIntoAClaimedOutput() {
        Plan mine = harness.plan(JobHarness.JOB, spec("s3://out/claimed/", 1));
        assertEquals(List.of(0), harness.runWorkers(mine));
        byte[] before = s3.require("s3://out/claimed/predictions/p3.npz");
        JobRef other = new JobRef("team-b", "their-job", "uid-2");
        Plan theirs = new Plan(mine.version(), other, mine.spec(), mine.worldSize(), mine.keys(), mine.sizes(),
                mine.etags(), mine.rankStarts(), List.of(), mine.model());
        assertEquals(List.of(3), harness.runWorkers(theirs));
        assertArrayEquals(before, s3.require("s3://out/claimed/predictions/p3.npz"));
    }

    @Test
    void aPartitionChangedSinceItsPredictionIsRefusedBeforeAnythingIsComputed() {
        for (int i = 0; i < 3; i++) {
            s3.put("s3://data/changing/p" + i + ".npz", CaiDataGenerator.partition(11, i, 4));
        }
        InferenceJobSpec spec = JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL, S3Fixture.EXAMPLE_INPUTS, null,
                "s3://data/changing/", null, "s3://out/changing/", 1, BATCH);
        assertEquals(List.of(0), harness.runWorkers(harness.plan(JobHarness.JOB, spec)));
        byte[] before = s3.require("s3://out/changing/predictions/p2.npz");
        delete("out", "changing/predictions/p0.npz"); // left to compute: it must stay uncomputed
        s3.put("s3://data/changing/p2.npz", CaiDataGenerator.partition(12, 2, 4)); // same key, other bytes

        Plan again = harness.plan(JobHarness.JOB, spec);
        assertEquals(List.of(WorkerExit.BAD_INPUT.code()), harness.runWorkers(again));
        Progress progress = Json.read(s3.require("s3://out/changing/progress/0.json"), Progress.class);
        assertTrue(progress.error().startsWith("spec.data.uri: partition 'p2.npz' changed since s3://out/changing/predictions/p2.npz"
                + " was written"), progress.error());
        assertTrue(s3.get("s3://out/changing/predictions/p0.npz").isEmpty(), "nothing computed before the refusal");
        assertArrayEquals(before, s3.require("s3://out/changing/predictions/p2.npz"));
    }

    @Test
    void aModelReplacedAfterPlanningIsRefused() {
        s3.put("s3://models/swapped.pt", S3Fixture.repoRoot().resolve("examples/models/astro-redshift.pt"));
        InferenceJobSpec spec = JobHarness.spec(s3, "s3://models/swapped.pt", S3Fixture.EXAMPLE_INPUTS, null,
                "s3://data/uneven/", null, "s3://out/swapped/", 1, BATCH);
        Plan plan = harness.plan(JobHarness.JOB, spec);
        s3.put("s3://models/swapped.pt", "other bytes".getBytes());
        assertEquals(List.of(WorkerExit.BAD_INPUT.code()), harness.runWorkers(plan));
        Progress progress = Json.read(s3.require("s3://out/swapped/progress/0.json"), Progress.class);
        assertTrue(progress.error().startsWith("spec.model.uri: s3://models/swapped.pt changed since the job was planned"),
                progress.error());
    }

    private Map<String, byte[]> predictions(Plan plan) {
        Map<String, byte[]> out = new HashMap<>();
        for (int i = 0; i < plan.partitionCount(); i++) {
            String key = plan.keys().get(i);
            out.put(key, s3.require(plan.spec().output().uri() + "predictions/" + key));
        }
        return out;
    }

    private void delete(String bucket, String key) {
        s3.store().client().deleteObject(b -> b.bucket(bucket).key(key));
        assertTrue(s3.get(new S3Uri(bucket, key).toString()).isEmpty());
    }
}
