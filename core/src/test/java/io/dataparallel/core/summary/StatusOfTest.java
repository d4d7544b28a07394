package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Sizing;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status a plan and a summary give: what the operator writes and local mode prints. */
class StatusOfTest {
    private static final InferenceJobSpec SPEC = InferenceJobSpec.of(new ModelSpec("s3://m/m.pt", List.of("x"), null),
            new DataSpec("s3://d/in/", null, null), new OutputSpec("s3://o/out/"));

    /** Five partitions on two ranks; partitions 1 and 3 were done by an earlier run. */
    private static final Plan PLAN = new Plan(Plan.VERSION, new JobRef("ns", "job", "u"), SPEC, 2,
            List.of("a", "b", "c", "d", "e"), List.of(10L, 20L, 30L, 40L, 50L), List.of("1", "2", "3", "4", "5"),
            List.of(0, 3, 5), List.of(), null, List.of(1, 3));

    @Test
    void aPlanCountsWhatAnEarlierRunDidAsDone() {
        InferenceJobStatus s = StatusOf.planned(InferenceJobStatus.EMPTY.withStartTime("t0"), PLAN, "s3://o/out/");
        assertEquals(5, s.partitions());
        assertEquals(150L, s.bytes());
        assertEquals(2, s.workers());
        assertEquals(2, s.partitionsDone());
        assertEquals("2/5", s.progress());
        assertEquals("s3://o/out/", s.outputUri());
        assertEquals("t0", s.startTime(), "what the status held before stays");
    }

    @Test
    void aSummaryGivesTheFiguresAndTheFailedPartitionsAndEndsTheEta() {
        List<FailedPartition> failed = List.of(new FailedPartition("e", 1, "crashed"));
        Summary summary = summary(4, failed, null);
        InferenceJobStatus s = StatusOf.summarized(InferenceJobStatus.EMPTY.withEta(30L), PLAN, summary);
        assertEquals(4, s.partitionsDone());
        assertEquals("4/5", s.progress());
        assertEquals(failed, s.failedPartitions());
        assertEquals(1, s.failedPartitionCount());
        assertEquals(12.5, s.metrics().seconds());
        assertNull(s.eta());
        assertNull(s.sizing(), "a job that was not sized gets no sizing");
    }

    @Test
    void aSizedJobGetsWhatHappenedBesideThePrediction() {
        Sizing.Option chosen = new Sizing.Option("chosen", 2, 32, null, "1", "2Gi", 10.0, 0.002, 20.0);
        Sizing sizing = new Sizing("1m", null, "least cost", "p", false, null, chosen, null, null, null, null, null, null);
        Summary summary = summary(5, List.of(), new Cost(30, 30, 0, 0.0031234567, null));
        Sizing after = StatusOf.summarized(InferenceJobStatus.EMPTY.withSizing(sizing), PLAN, summary).sizing();
        assertEquals(12.5, after.actualSeconds());
        assertEquals(0.003123, after.actualCost(), "rounded to a millionth");
        assertEquals(1.25, after.secondsRatio());
    }

    @Test
    void theEndKeepsACompletionTimeAnEarlierPassRecorded() {
        Verdict done = new Verdict(Phase.Succeeded, false, "all 5 partitions done");
        InferenceJobStatus first = StatusOf.ended(InferenceJobStatus.EMPTY, done, "t1");
        assertEquals(Phase.Succeeded, first.phase());
        assertEquals("all 5 partitions done", first.message());
        assertEquals("t1", first.completionTime());
        assertEquals("t1", StatusOf.ended(first, done, "t2").completionTime());
    }

    private static Summary summary(int done, List<FailedPartition> failed, Cost cost) {
        return new Summary("ns/job", "h", 100, 5, done, 2, 2, List.of(), failed, false, 8, 10, 60, 40, 12.5, 20, 0, 1e6, 0.1,
                1, 1, null, null, null, cost, null, null, List.of());
    }
}
