package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.status.Phase;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one rule for how a job ends: failed workers against spec.maxFailedWorkers. */
class VerdictTest {
    @Test
    void everyWorkerFinishedIsASuccess() {
        Verdict v = Verdict.of(summary(4, 8, List.of()), spec(null));
        assertEquals(new Verdict(Phase.Succeeded, false, "all 8 partitions done"), v);
        assertTrue(v.succeeded());
    }

    @Test
    void failedWorkersWithinTheLimitAreAPartialSuccess() {
        Verdict v = Verdict.of(summary(4, 8, List.of(1)), spec(1));
        assertEquals(Phase.Succeeded, v.phase());
        assertTrue(v.partial());
        assertEquals("6/8 partitions done; 1 workers failed, within spec.maxFailedWorkers (1)", v.message());
    }

    @Test
    void moreFailedWorkersThanTheLimitFailTheJob() {
        Verdict v = Verdict.of(summary(4, 8, List.of(1, 3)), spec(1));
        assertEquals(Phase.Failed, v.phase());
        assertFalse(v.succeeded());
        assertFalse(v.partial());
        assertEquals("2 of 4 workers failed, more than spec.maxFailedWorkers (1); 4 partitions have no prediction"
                + " (status.failedPartitions lists the first 100, summary.json all). Why: 4 partitions (p10, p11, p30, ...): crashed",
                v.message(), "the reason said once for the partitions it cost, naming what to fix");
    }

    @Test
    void withoutMaxFailedWorkersOneFailedWorkerFailsTheJob() {
        Verdict v = Verdict.of(summary(2, 2, List.of(0)), spec(null));
        assertEquals(Phase.Failed, v.phase());
        assertTrue(v.message().startsWith("1 of 2 workers failed, more than spec.maxFailedWorkers (0)"), v.message());
        assertTrue(v.message().endsWith("summary.json all). Why: crashed"), v.message());
    }

    @Test
    void workersStoppedAtTheTimeoutSaySoFirst() {
        InferenceJobSpec spec = spec(null).withTimeout("10m");
        Verdict v = Verdict.of(summary(4, 8, List.of(2, 3), true), spec);
        assertEquals(Phase.Failed, v.phase());
        assertTrue(v.message().startsWith("the workers ran past spec.timeout (10m) and were stopped with 4 of 8 partitions done;"
                + " 2 of 4 workers failed"), v.message());
        assertEquals(Verdict.of(summary(4, 8, List.of()), spec), Verdict.of(summary(4, 8, List.of(), true), spec),
                "all done before the limit is a plain success");
    }

    /** {@code workers} ranks with an equal share of {@code partitions}; a failed worker left all of its share undone. */
    private static Summary summary(int workers, int partitions, List<Integer> failedWorkers) {
        return summary(workers, partitions, failedWorkers, false);
    }

    private static Summary summary(int workers, int partitions, List<Integer> failedWorkers, boolean timedOut) {
        int perWorker = partitions / workers;
        List<FailedPartition> failed = failedWorkers.stream()
                .flatMap(r -> IntStream.range(0, perWorker).mapToObj(i -> new FailedPartition("p" + r + i, r, "crashed")))
                .toList();
        return new Summary("ns/job", "h", 0, partitions, partitions - failed.size(), 0, workers, failedWorkers, failed, timedOut,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null);
    }

    private static InferenceJobSpec spec(Integer maxFailedWorkers) {
        return InferenceJobSpec.of(new ModelSpec("s3://m/m.pt", List.of("x"), null), new DataSpec("s3://d/in/", null, null),
                new OutputSpec("s3://o/out/")).withMaxFailedWorkers(maxFailedWorkers);
    }
}
