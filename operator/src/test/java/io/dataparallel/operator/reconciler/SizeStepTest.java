package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Sizing: list once, profile the model in a Job, and end when the profile cannot be had. */
class SizeStepTest extends StepTest {
    private JobRun sizing(InferenceJob job) {
        return h.run(job, InferenceJobStatus.EMPTY.withPhase(Phase.Sizing));
    }

    @Test
    void withoutAProfileTheModelIsProfiledInAJob() throws InterruptedException {
        InferenceJob job = h.create("size", h.spec("s3://out/size/", null).withDeadline("10m"));
        JobRun run = sizing(job);
        StepResult result = new SizeStep().run(run);
        assertFalse(result.proceed());
        assertEquals(SizeStep.CHECK, result.requeueAfter());
        assertEquals(Phase.Sizing, run.status.get().phase());
        assertEquals(Reason.Profiling.name(), StepHarness.condition(run, ConditionType.Progressing).orElseThrow().getReason());
        assertNotNull(profiling(job));
        assertEquals(1, h.events("size", Reason.Profiling.name()).size());
    }

    @Test
    void aFailedProfilingJobFailsTheJobSayingHowToRunItUnsized() {
        InferenceJob job = h.create("noprofile", h.spec("s3://out/noprofile/", null).withDeadline("10m"));
        SizeStep step = new SizeStep();
        JobRun first = sizing(job);
        step.run(first);
        Job profiling = profiling(job);
        profiling.setStatus(new JobStatusBuilder().addToConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
                .withReason("BackoffLimitExceeded").build()).build());
        h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).resource(profiling).updateStatus();
        JobRun run = h.run(job, first.status.get());
        step.run(run);
        assertEquals(Phase.Failed, run.status.get().phase());
        assertEquals(Reason.ProfilingFailed.name(), StepHarness.condition(run, ConditionType.Failed).orElseThrow().getReason());
        assertTrue(run.status.get().message().contains("remove spec.deadline and spec.budget"), run.status.get().message());
    }

    @Test
    void aListingIsKeptBetweenPassesAndDroppedOnceOld() {
        InferenceJob a = h.create("a", h.spec("s3://out/a/", null).withDeadline("10m"));
        InferenceJob b = h.create("b", h.spec("s3://out/b/", null).withDeadline("10m"));
        SizeStep step = new SizeStep();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        ObjectStore store = h.s3.store(); // the fixture's: it closes it
        Plan listed = step.listing(sizing(a), store, t0);
        assertSame(listed, step.listing(sizing(a), store, t0.plusSeconds(60)), "listed once per sizing");
        // a job deleted while sizing never comes back for its listing: a later pass of another job drops it
        step.listing(sizing(b), store, t0.plus(SizeStep.LISTING_KEPT).plusSeconds(1));
        assertEquals(1, step.listingsKept());
        assertNotSame(listed, step.listing(sizing(a), store, t0.plus(SizeStep.LISTING_KEPT).plusSeconds(2)));
    }

    private Job profiling(InferenceJob job) {
        return h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(Children.profilingJob(job)).get();
    }
}
