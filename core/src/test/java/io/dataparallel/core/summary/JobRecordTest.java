package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.RunRecord;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.ProvenanceCheck;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reruns of one job keep its record: the earlier runs' rank results, figures and cost. */
class JobRecordTest {
    private static final OutputLayout LAYOUT = OutputLayout.of("s3://out/run/");
    private static final List<String> KEYS = List.of("p0.npz", "p1.npz", "p2.npz", "p3.npz");

    @TempDir
    Path tmp;

    /** Partition {@code key} computed by {@code rank}: 100 samples, one second of compute from {@code at}. */
    private static PartitionResult computed(String key, long at) {
        return new PartitionResult(key, 100, 1000, 2, false, 0.1, 0.1, 1.0, 0.1, at, at, at + 1_000);
    }

    private static RankResult rank(int rank, Plan plan, long started, long finished, List<PartitionResult> partitions) {
        long computed = partitions.stream().filter(p -> !p.resumed()).mapToLong(PartitionResult::samples).sum();
        long samples = partitions.stream().mapToLong(PartitionResult::samples).sum();
        double compute = partitions.stream().filter(p -> !p.resumed()).mapToDouble(PartitionResult::computeSeconds).sum();
        return new RankResult(compute, 100, compute / 2, 2, 512, "cpu", computed * 8000 / compute, computed / compute, "cpu", 8,
                "s3://data/in/", "s3://out/run/", 4, 0.4, 0.1, 0.05, 0.2, started / 1000.0, finished / 1000.0, "ns/job",
                PlanCodec.hash(plan), rank, plan.worldSize(), 2, samples, computed, 0.5, 0.2, (finished - started) / 1000.0,
                compute * 2, 100, started, finished, partitions, List.of());
    }

    private static void predict(S3Fixture s3, Plan plan, int index, PartitionResult figures) {
        s3.store().put(LAYOUT.prediction(KEYS.get(index)), new byte[] {1}, "application/octet-stream",
                ProvenanceCheck.metadata(plan, plan.partition(index), figures), false, "t");
    }

    private static Plan plan(S3Fixture s3, int workers, List<Integer> rankStarts) {
        InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec("s3://models/m.pt", List.of("x"), null),
                new DataSpec("s3://data/in/", null, null), new OutputSpec("s3://out/run/")).withS3(s3.spec());
        return new Plan(1, new JobRef("ns", "job", "u"), spec, workers, KEYS, List.of(1000L, 1000L, 1000L, 1000L),
                List.of("a", "b", "c", "d"), rankStarts, List.of());
    }

    /** What the operator does once the summarizer's pod ended: this run's billed cost into summary.json. */
    private static Summary billed(S3Fixture s3, Summary summary, double amount) {
        Cost used = summary.thisRun().cost();
        Summary completed = summary.withRunCost(new Cost(used.podSeconds() + 2, used.cpuSeconds(), 0, amount,
                List.of(new Cost.PodCost("worker", summary.workers(), used.podSeconds(), 2, 4, 0, amount / 2),
                        new Cost.PodCost("summarizer", 1, 2, 0.5, 1, 0, amount / 2))));
        s3.store().putJson(LAYOUT.summary(), Json.writePretty(completed), OutputLayout.FIELD);
        return completed;
    }

    private static List<RankResult> combined(S3Fixture s3) {
        return Arrays.asList(Json.read(s3.require(LAYOUT.combined().toString()), RankResult[].class));
    }

    @Test
    void aFullRerunAPartialRerunOnFewerWorkersAndARetriedRankKeepTheJobsRecord() {
        try (S3Fixture s3 = new S3Fixture(tmp)) {
            s3.createBucket("out");
            // run 1, three workers: rank 1's first attempt computed p1 and died; its retry resumed p1 and computed p2
            Plan first = plan(s3, 3, List.of(0, 1, 3, 4));
            PartitionResult p0 = computed("p0.npz", 10_000);
            PartitionResult p1 = computed("p1.npz", 10_000);
            PartitionResult p2 = computed("p2.npz", 14_000);
            PartitionResult p3 = computed("p3.npz", 11_000);
            List.of(p0, p1, p2, p3).forEach(p -> predict(s3, first, KEYS.indexOf(p.key()), p));
            PartitionResult p1AsResumed = new PartitionResult("p1.npz", 100, 1000, 2, true, 0.1, 0.1, 1.0, 0.1, 10_000, 10_000, 11_000);
            s3.put(LAYOUT.rankResult(0).toString(), Json.write(rank(0, first, 9_000, 12_000, List.of(p0))));
            s3.put(LAYOUT.rankResult(1).toString(), Json.write(rank(1, first, 13_000, 16_000, List.of(p1AsResumed, p2))));
            s3.put(LAYOUT.rankResult(2).toString(), Json.write(rank(2, first, 9_500, 13_000, List.of(p3))));
            Summary one = billed(s3, new Summarizer(s3.store()).summarize(first), 0.5);
            assertEquals(400, one.samples());
            assertEquals(7.0, one.seconds(), 1e-9, "9.0 s to 16.0 s");
            assertEquals(3, combined(s3).size());

            // run 2: everything done earlier, no worker runs; the record is run 1's, its message says so
            Plan again = Planner.resume(first, List.of(0, 1, 2, 3));
            Summary two = new Summarizer(s3.store()).summarize(again);
            assertEquals(List.of(0, 1, 2), combined(s3).stream().map(RankResult::rank).sorted().toList(),
                    "run 1's rank results stay, the retried rank's included");
            assertEquals(one.samplesPerSecond(), two.samplesPerSecond(), 1e-9);
            assertEquals(one.seconds(), two.seconds(), 1e-9);
            assertEquals(one.cpuSeconds(), two.cpuSeconds(), 1e-9);
            assertEquals(one.throughputBps(), two.throughputBps(), 1e-6);
            assertEquals(one.meanSecondsPerBatch(), two.meanSecondsPerBatch(), 1e-9);
            assertEquals(null, two.cost().billed(), "unknown until the operator bills this run's summarizer too");
            assertEquals(0, two.computedSamples());
            assertEquals(400, two.resumedSamples());
            assertEquals("all 4 partitions done earlier; nothing to compute", Verdict.of(two, again.spec()).message());
            Summary twoBilled = billed(s3, two, 0.01); // its summarizer pod, billed on a cluster
            assertEquals(0.51, twoBilled.cost().billed(), 1e-9);

            // run 3 on one worker: p3 was lost and is computed again; run 1's rank 2 (p3 alone) leaves, its others stay
            s3.store().deleteAll(LAYOUT.prediction("p3.npz"), "t");
            Plan third = Planner.resume(plan(s3, 1, List.of(0, 4)), List.of(0, 1, 2));
            PartitionResult p3Again = computed("p3.npz", 50_000);
            predict(s3, third, 3, p3Again);
            s3.put(LAYOUT.rankResult(0).toString(), Json.write(rank(0, third, 49_000, 52_000, List.of(p3Again))));
            Summary three = billed(s3, new Summarizer(s3.store()).summarize(third), 0.2);

            List<RankResult> ranks = combined(s3);
            assertEquals(3, ranks.size(), ranks.toString());
            String thirdHash = PlanCodec.hash(third);
            assertEquals(List.of("p0.npz", "p1.npz", "p2.npz"), ranks.stream().filter(r -> !r.planHash().equals(thirdHash))
                            .flatMap(r -> r.partitions().stream()).map(PartitionResult::key).sorted().toList(),
                    "the ranks of run 1 that computed p0, p1 (the retried rank's first attempt) and p2, under their own plan and rank");
            assertTrue(ranks.stream().noneMatch(r -> r.partitions().stream().anyMatch(p -> p.computeStartedMs() == 11_000)),
                    "the rank whose p3 was recomputed since is not behind the job's prediction any more");
            assertEquals(1, ranks.stream().filter(r -> r.planHash().equals(thirdHash) && r.worldSize() == 1).count());
            assertEquals(2, three.earlierRuns().size(), "run 1, and run 2 that billed its summarizer");
            assertEquals(0.5 + 0.01 + 0.2, three.cost().billed(), 1e-9);
            assertEquals(7.0 + 0 + 3.0, three.seconds(), 1e-9, "the runs' wall times, not the time between them");
            assertEquals(100, three.computedSamples());
            assertEquals(300, three.resumedSamples());
            assertEquals((300 + 100) / 10.0, three.samplesPerSecond(), 1e-9, "samples the runs computed over their wall time");
            assertEquals("all 4 partitions done: 1 computed now, 3 done earlier", Verdict.of(three, third.spec()).message());
        }
    }

    @Test
    void aDamagedRecordLeavesTheFiguresToThePredictionsAndARunOfAnotherModelLeavesTheRecord() {
        try (S3Fixture s3 = new S3Fixture(tmp)) {
            s3.createBucket("out");
            Plan first = plan(s3, 1, List.of(0, 4));
            for (int i = 0; i < 4; i++) {
                predict(s3, first, i, computed(KEYS.get(i), 10_000 + i * 1_000L));
            }
            s3.put(LAYOUT.combined().toString(), "not json".getBytes());
            Summary foreign = billed(s3, new Summarizer(s3.store()).summarize(Planner.resume(first, List.of(0, 1, 2, 3))), 1.0)
                    .withThisRun(null);
            // a summary of a run of another model under this output (restarted since): its runs are not this job's
            Summary other = foreign.withEarlierRuns(List.of(new RunRecord("x", "other-model 00", 1, 1, 5_001, 5, 4, 400,
                    new Cost(5, 5, 0, 9.0, null))));
            s3.store().putJson(LAYOUT.summary(), Json.writePretty(other), OutputLayout.FIELD);

            Summary s = new Summarizer(s3.store()).summarize(Planner.resume(first, List.of(0, 1, 2, 3)));
            assertEquals(400, s.samples());
            assertEquals(400 / 4.0, s.computeSamplesPerSecond(), 1e-9, "from the predictions' figures: 4 s of compute");
            assertEquals(List.of(), s.earlierRuns());
            assertEquals(List.of(), combined(s3));
        }
    }
}
