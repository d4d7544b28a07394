package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 7: 1,000 InferenceJobs of 1 to 4 small partitions each, the operator SIGKILLed
 * twice during the run (a third and two thirds of the way): every job Succeeds, none has a
 * duplicate child, and the operator's used heap (after a full GC, sampled through the run) stays
 * within what the chart gives it. Full suite only: hours of worker and summarizer JVMs on 2 cores.
 * {@code -De2e.load.jobs=N} changes the count.
 */
@Tag("full")
class OperatorLoadE2eTest {
    @Test
    void aThousandJobsWithTheOperatorKilledTwiceAllFinishOnceWithinTheHeapLimit() throws Exception {
        int count = Integer.getInteger("e2e.load.jobs", 1000);
        String ns = E2e.namespace("load");
        for (int partitions = 1; partitions <= 4; partitions++) {
            E2e.exampleData("e2e", ns + "/p" + partitions, partitions, 20);
        }
        double limitMb = ManyJobs.operatorHeapLimitMb();
        long start = System.nanoTime();
        ManyJobs jobs = ManyJobs.create(ns, count, i -> ns + "/p" + (1 + i % 4));
        List<Integer> killedAt = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        long[] lastSample = {0};
        jobs.awaitAll(Duration.ofMinutes(Math.max(30, count)), done -> {
            // during the run only: a kill after the last job ended proves nothing (a 12-job trial run did that)
            if (killedAt.size() < 2 && done >= count * (killedAt.size() + 1) / 3 && done < count) {
                ManyJobs.killOperator();
                killedAt.add(done);
            }
            if (System.nanoTime() - lastSample[0] > 60e9) {
                double used = ManyJobs.operatorHeapMb();
                if (!Double.isNaN(used)) {
                    heap.add(used);
                    assertTrue(used <= limitMb, "operator heap " + used + " MiB past its limit " + limitMb + " MiB");
                }
                lastSample[0] = System.nanoTime();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, killedAt.size(), "the operator was killed twice during the run");
        double peak = heap.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        assertTrue(!heap.isEmpty(), "the operator's heap was sampled");
        ManyJobs.Totals totals = jobs.checkAll("operator SIGKILL twice under " + count + " jobs");
        System.out.printf("OperatorLoadE2eTest: %d jobs of 1-4 partitions, operator killed with %s jobs ended; all ended in %.0f s;"
                + " operator heap after GC at most %.0f MiB of %.0f MiB (%d samples): %s%n", count, killedAt, seconds, peak, limitMb,
                heap.size(), totals);
    }
}
