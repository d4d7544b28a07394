package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 3: the operator SIGKILLed in the middle of a burst of 200 InferenceJobs (one
 * partition each): its pod restarts, the new process picks up where the Jobs and statuses say
 * the old one was, and every job Succeeds with one worker and one summarizer Job, never two.
 * Tagged full: 200 worker and 200 summarizer JVMs take tens of minutes on 2 cores.
 * {@code -De2e.burst.jobs=N} changes the count.
 */
@Tag("full")
class OperatorBurstE2eTest {
    @Test
    void theOperatorKilledMidBurstLeavesNoJobUnfinishedAndNoChildDuplicated() throws Exception {
        int count = Integer.getInteger("e2e.burst.jobs", 200);
        String ns = E2e.namespace("burst");
        E2e.exampleData("e2e", ns, 1, 50);
        long start = System.nanoTime();
        ManyJobs jobs = ManyJobs.create(ns, count, i -> ns);
        // mid-burst: a third of the jobs have their worker Job, the others are being planned or not yet seen
        Cluster.awaitQuietly("a third of the burst to have worker Jobs", 600, () -> jobs.workerJobs() >= count / 3);
        int before = jobs.workerJobs();
        ManyJobs.killOperator();
        // generous: on the shared 2-core machine (load 45) pods ran at about 2 a minute, 2 per job
        jobs.awaitAll(Duration.ofMinutes(Math.max(20, count)), done -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        ManyJobs.Totals totals = jobs.checkAll("operator SIGKILL mid-burst of " + count + " (" + before + " worker Jobs then)");
        assertTrue(before < count, "the operator was killed before every worker Job existed: " + before + " of " + count);
        System.out.printf("OperatorBurstE2eTest: %d jobs, operator killed with %d worker Jobs created; all ended in %.0f s: %s%n",
                count, before, seconds, totals);
    }
}
