package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 11 item 6: a job's progress state is freed when it fails, succeeds or is deleted, not kept forever. */
class ProgressTrackerTest {
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** No ranks: a poll keeps state for the job without reading any store. */
    static final OutputLayout OUT = OutputLayout.of("s3://out/j/");
    static final Plan EMPTY = new Plan(Plan.VERSION, new JobRef("ns", "j", "u"), null, 0, List.of(), List.of(), List.of(),
            List.of(0), List.of());

    final AtomicLong now = new AtomicLong();
    final ProgressTracker tracker = new ProgressTracker(now::get);

    @Test
    void aJobThatEndsIsForgotten() {
        poll(job("failed"));
        poll(job("succeeded"));
        poll(job("running"));
        tracker.passEnded(job("running"), Phase.Running);
        tracker.passEnded(job("failed"), Phase.Failed);
        tracker.passEnded(job("succeeded"), Phase.Succeeded);
        assertEquals(1, tracker.tracked());
    }

    @Test
    void aJobDeletedWhileRunningIsForgottenOnceItIsNoLongerPolled() {
        poll(job("deleted"));
        poll(job("running"));
        // "running" is polled every interval; "deleted" never again
        for (long t = 0; t <= ProgressTracker.UNPOLLED_EXPIRY.toNanos(); t += INTERVAL.toNanos()) {
            now.set(t);
            poll(job("running"));
        }
        assertEquals(2, tracker.tracked(), "not yet past the expiry");
        now.addAndGet(ProgressTracker.SWEEP_EVERY.toNanos() + INTERVAL.toNanos());
        poll(job("running"));
        assertEquals(1, tracker.tracked());
    }

    @Test
    void aLongPollingIntervalKeepsStateForTenIntervals() {
        Duration hourly = Duration.ofHours(1);
        tracker.poll(job("slow"), EMPTY, OUT, Set.of(), null, hourly);
        now.set(hourly.multipliedBy(5).toNanos());
        tracker.poll(job("other"), EMPTY, OUT, Set.of(), null, hourly);
        assertEquals(2, tracker.tracked());
        now.set(hourly.multipliedBy(11).toNanos());
        tracker.poll(job("other"), EMPTY, OUT, Set.of(), null, hourly);
        assertEquals(1, tracker.tracked());
    }

    private void poll(InferenceJob job) {
        tracker.poll(job, EMPTY, OUT, Set.of(), null, INTERVAL);
    }

    private static InferenceJob job(String name) {
        InferenceJob job = new InferenceJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name).build());
        return job;
    }
}
