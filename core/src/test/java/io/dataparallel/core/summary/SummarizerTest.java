package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.ProvenanceCheck;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.report.Report;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummarizerTest {
    @TempDir
    Path tmp;

    static RankResult result(int rank, String planHash, long samples, double compute, long started, long finished) {
        return result(rank, planHash, samples, compute, started, finished, "p" + rank + ".npz");
    }

    static RankResult result(int rank, String planHash, long samples, double compute, long started, long finished, String key) {
        return new RankResult(compute, 100, compute / 2, 2, 512, "cpu", samples * 8000 / compute, samples / compute, "cpu", 8,
                "s3://data/in/", "s3://out/run/", 4, 0.4, 0.1, 0.05, 0.2, started / 1000.0, finished / 1000.0, "ns/job", planHash, rank, 3, 2, samples, samples, 0.5, 0.2, (finished - started) / 1000.0, compute * 2, 100,
                started, finished, List.of(new PartitionResult(key, samples, samples * 1000, 2, false,
                0.5, 0.1, compute, 0.1, started, started, finished)), List.of());
    }

    @Test
    void onlyThisPlansRanksCountAndMissingOnesAreExplained() throws Exception {
        try (S3Fixture s3 = new S3Fixture(tmp)) {
            s3.createBucket("out");
            InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec("s3://models/m.pt", List.of("x"), null),
                    new DataSpec("s3://data/in/", null, null), new OutputSpec("s3://out/run/")).withS3(s3.spec());
            Plan plan = new Plan(1, new JobRef("ns", "job", "u"), spec, 3, List.of("p0.npz", "p1.npz", "p2.npz"),
                    List.of(1000L, 1000L, 1000L), List.of("a", "b", "c"), List.of(0, 1, 2, 3), List.of());
            String hash = PlanCodec.hash(plan);
            OutputLayout layout = OutputLayout.of("s3://out/run/");
            s3.put(layout.rankResult(0).toString(), Json.write(result(0, hash, 100, 2.0, 1_000, 5_000)));
            // rank 1 wrote its prediction, then died before its rank result; an old run left a rank 1 result
            s3.put(layout.rankResult(1).toString(), Json.write(result(1, "stale-plan", 999, 1.0, 0, 1_000)));
            s3.store().put(layout.prediction("p1.npz"), new byte[] {1}, "application/octet-stream",
                    Map.of(OutputLayout.META_JOB, "ns/job", OutputLayout.META_SAMPLES, "40"), false, "t");
            s3.put(layout.progress(2).toString(), Json.write(new Progress("ns/job", 2, Progress.FAILED, 1, 0, 0, true, 0, 0, 0, 0,
                    "p2.npz", "p2.npz: cannot be read as .npz", List.of(), hash)));
            // a rank outside this plan (an earlier job with more workers)
            s3.put(layout.rankResult(7).toString(), Json.write(result(7, hash, 5000, 1.0, 0, 1_000)));

            Summary summary = new Summarizer(s3.store()).summarize(plan);

            assertEquals(140, summary.samples());
            assertEquals(2, summary.partitionsDone());
            assertEquals(List.of(1, 2), summary.failedWorkers());
            assertEquals(1, summary.failedPartitions().size());
            assertEquals("p2.npz", summary.failedPartitions().get(0).partition());
            assertEquals("p2.npz: cannot be read as .npz", summary.failedPartitions().get(0).reason());
            assertEquals(4.0, summary.seconds(), 1e-9);
            assertEquals(25.0, summary.samplesPerSecond(), 1e-9);
            assertEquals(50.0, summary.computeSamplesPerSecond(), 1e-9);
            assertEquals(0, summary.slowestWorker().rank());
            // the cost is what the workers used: the one rank with a result; prices and requests are the operator's
            assertEquals(summary.slowestWorker().seconds(), summary.cost().podSeconds(), 1e-9);
            assertEquals(summary.cpuSeconds(), summary.cost().cpuSeconds(), 1e-9);
            assertNull(summary.cost().billed());
            assertNull(summary.cost().pods());
            JsonNode combined = Json.MAPPER.readTree(s3.require(layout.combined().toString()));
            assertEquals(1, combined.size());
            assertEquals(0, combined.get(0).get("rank").asInt());
            Summary stored = Json.read(s3.require(layout.summary().toString()), Summary.class);
            assertEquals(summary, stored);
            String report = new String(s3.require("s3://out/run/report.html"), StandardCharsets.UTF_8);
            assertTrue(report.contains("rank 0") && report.contains("<svg") && report.contains("p2.npz: cannot be read as .npz"), report);
            assertTrue(!report.contains("<script") && !report.contains("http"), "self-contained, no script, no network");
            assertTrue(report.contains("class=\"banner failed\"><strong>Failed</strong>"), "two failed workers, none allowed");
            assertTrue(!report.contains("id=\"quality\""), "no labels: no empty quality charts");
            assertTrue(report.contains("<th>pod seconds (workers)</th>"), "the cost without prices: pod seconds");

            // the operator completes the cost after the summarizer's pod ended: the page gets the billed amounts too
            Cost billed = new Cost(9.5, summary.cpuSeconds(), 0, 0.0123, List.of(new Cost.PodCost("worker", 1, 4, 2, 4, 0, 0.01),
                    new Cost.PodCost("summarizer", 1, 5.5, 0.5, 1, 0, 0.0023)));
            String completed = Report.withCost(report, summary.withRunCost(billed));
            assertTrue(completed.contains("<th>billed cost</th><td>0.0123</td>") && completed.contains("<th>cost of summarizer pods</th>")
                    && completed.contains("<th>pod seconds (all pods)</th>"), completed);
            assertTrue(!completed.contains("pod seconds (workers)"), "the workers-only row is replaced, not kept beside");
            assertEquals(report.replaceAll("(?s)<!--cost-->.*<!--/cost-->", ""), completed.replaceAll("(?s)<!--cost-->.*<!--/cost-->", ""),
                    "nothing else on the page changes");
            assertEquals(completed, Report.withCost(completed, summary.withRunCost(billed)), "completing twice gives the same page");
        }
    }

    @Test
    void workersStoppedAtTheTimeoutAreNamedInTheSummaryAndTheReportsBanner() throws Exception {
        try (S3Fixture s3 = new S3Fixture(tmp)) {
            s3.createBucket("out");
            InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec("s3://models/m.pt", List.of("x"), null),
                    new DataSpec("s3://data/in/", null, null), new OutputSpec("s3://out/late/")).withS3(s3.spec()).withTimeout("10m");
            Plan plan = new Plan(1, new JobRef("ns", "job", "u"), spec, 2, List.of("p0.npz", "p1.npz"),
                    List.of(1000L, 1000L), List.of("a", "b"), List.of(0, 1, 2), List.of());
            OutputLayout layout = OutputLayout.of("s3://out/late/");
            s3.put(layout.rankResult(0).toString(), Json.write(result(0, PlanCodec.hash(plan), 100, 2.0, 1_000, 5_000)));

            Summary summary = new Summarizer(s3.store()).summarize(plan, null, true);

            assertTrue(summary.workersTimedOut());
            String message = Verdict.of(summary, spec).message();
            assertTrue(message.startsWith("the workers ran past spec.timeout (10m) and were stopped with 1 of 2 partitions done"), message);
            String report = new String(s3.require("s3://out/late/report.html"), StandardCharsets.UTF_8);
            assertTrue(report.contains("ran past spec.timeout (10m)"), "the banner says why the rest is missing");
        }
    }

    @Test
    void partitionsDoneEarlierCountWithTheFiguresOfTheRunThatComputedThem() throws Exception {
        try (S3Fixture s3 = new S3Fixture(tmp)) {
            s3.createBucket("out");
            InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec("s3://models/m.pt", List.of("x"), null),
                    new DataSpec("s3://data/in/", null, null), new OutputSpec("s3://out/run/")).withS3(s3.spec());
            Plan full = new Plan(1, new JobRef("ns", "job", "u"), spec, 2, List.of("p0.npz", "p1.npz", "p2.npz"),
                    List.of(1000L, 1000L, 1000L), List.of("a", "b", "c"), List.of(0, 2, 3), List.of());
            Plan plan = Planner.resume(full, List.of(0, 1)); // a first run computed p0 and p1, one second each
            OutputLayout layout = OutputLayout.of("s3://out/run/");
            for (int i = 0; i < 2; i++) {
                long at = 1_000_000L + i * 1_000;
                PartitionResult earlier = new PartitionResult("p" + i + ".npz", 100, 1000, 1, false, 0.1, 0.1, 1.0, 0.1,
                        at, at, at + 1_000);
                s3.store().put(layout.prediction("p" + i + ".npz"), new byte[] {1}, "application/octet-stream",
                        ProvenanceCheck.metadata(plan, plan.partition(i), earlier), false, "t");
            }
            // this run computes p2: 100 samples in half a second, over two seconds of wall time
            s3.put(layout.rankResult(0).toString(), Json.write(result(0, PlanCodec.hash(plan), 100, 0.5, 5_000_000, 5_002_000, "p2.npz")));

            Summary summary = new Summarizer(s3.store()).summarize(plan);

            assertEquals(3, summary.partitionsDone());
            assertEquals(2, summary.partitionsResumed());
            assertEquals(300, summary.samples());
            assertEquals(100, summary.computedSamples());
            assertEquals(200, summary.resumedSamples());
            assertEquals(50.0, summary.samplesPerSecond(), 1e-9, "no record of the earlier run's wall time: this run's alone");
            assertEquals(300 / 2.5, summary.computeSamplesPerSecond(), 1e-9, "all 300 samples over 2.5 s of compute");
            assertEquals(List.of(), summary.failedPartitions());
            String report = new String(s3.require("s3://out/run/report.html"), StandardCharsets.UTF_8);
            assertTrue(report.contains("<td>p0.npz</td><td>—</td>") && report.contains("done earlier (skipped), computed 1970-01-01T00:16:40"),
                    "rows of the partitions done earlier, with their figures");
            assertTrue(report.contains("samples computed now / done earlier</th><td>100 / 200"), "the figures say what the whole job did");

            s3.store().deleteAll(layout.prediction("p1.npz"), "t"); // lost while the job ran
            Summary lost = new Summarizer(s3.store()).summarize(plan);
            assertEquals(2, lost.partitionsDone());
            assertEquals("p1.npz", lost.failedPartitions().get(0).partition());
            assertTrue(lost.failedPartitions().get(0).reason().contains("was deleted while the job ran"), lost.toString());
        }
    }

    @Test
    void partitionsThatFailedInsideAFinishedRankAreListedOnceAndItsOthersAreDone() {
        try (S3Fixture s3 = new S3Fixture(tmp)) {
            s3.createBucket("out");
            InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec("s3://models/m.pt", List.of("x"), null),
                    new DataSpec("s3://data/in/", null, null), new OutputSpec("s3://out/run/")).withS3(s3.spec());
            Plan plan = new Plan(1, new JobRef("ns", "job", "u"), spec, 1, List.of("p0.npz", "p1.npz", "p2.npz"),
                    List.of(1000L, 1000L, 1000L), List.of("a", "b", "c"), List.of(0, 3), List.of());
            OutputLayout layout = OutputLayout.of("s3://out/run/");
            RankResult ok = result(0, PlanCodec.hash(plan), 100, 2.0, 1_000, 5_000);
            FailedPartition bad = new FailedPartition("p1.npz", 0, "p1.npz: cannot be read as .npz");
            RankResult withFailure = new RankResult(ok.computeSeconds(), ok.memoryMb(), ok.secondsPerBatch(), ok.numBatches(),
                    ok.batchSize(), ok.device(), ok.throughputBps(), ok.samplesPerSecond(), ok.cpuInfo(), ok.ramGb(), ok.dataPath(), ok.resultPath(), ok.s3NumRequests(), ok.s3TotalTime(), ok.s3AvgTime(),
                    ok.s3MinTime(), ok.s3MaxTime(), ok.s3FirstRequestTime(), ok.s3LastResponseTime(), ok.job(),
                    ok.planHash(), 0, 1, ok.threads(), ok.samples(), ok.computedSamples(), ok.downloadSeconds(), ok.modelLoadSeconds(),
                    ok.endToEndSeconds(), ok.cpuSeconds(), ok.peakRssMb(), ok.startedMs(), ok.finishedMs(), ok.partitions(), List.of(bad));
            s3.put(layout.rankResult(0).toString(), Json.write(withFailure));
            // the progress file says the same: it must not be listed a second time
            s3.put(layout.progress(0).toString(), Json.write(new Progress("ns/job", 0, Progress.FAILED, 3, 2, 0, true, 100, 2, 100, 0,
                    "p1.npz", bad.reason(), List.of(bad), ok.planHash())));

            Summary summary = new Summarizer(s3.store()).summarize(plan);

            assertEquals(List.of(bad), summary.failedPartitions());
            assertEquals(List.of(0), summary.failedWorkers(), "the rank exited 3: the Job counts its index failed");
            assertEquals(2, summary.partitionsDone());
            assertEquals(100, summary.samples());
            assertEquals(Phase.Failed, Verdict.of(summary, spec).phase(), "one failed worker is over the default of 0");
        }
    }
}
