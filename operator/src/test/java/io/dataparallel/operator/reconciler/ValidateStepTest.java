package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import org.junit.jupiter.api.Test;

/** Pending: a spec is checked before anything touches S3 or the cluster. */
class ValidateStepTest extends StepTest {
    @Test
    void aValidSpecGoesOnToPlanningInTheSamePass() {
        JobRun run = h.run(h.create("ok", h.spec("s3://out/ok/", 2)));
        StepResult result = new ValidateStep().run(run);
        assertTrue(result.proceed());
        assertEquals(Phase.Planning, run.status.get().phase());
        assertEquals(Reason.Planning.name(), StepHarness.condition(run, ConditionType.Progressing).orElseThrow().getReason());
        assertTrue(run.status.get().startTime() != null, "the start is recorded");
    }

    @Test
    void aDeadlineGoesToSizing() {
        JobRun run = h.run(h.create("sized", h.spec("s3://out/sized/", null).withDeadline("10m")));
        assertTrue(new ValidateStep().run(run).proceed());
        assertEquals(Phase.Sizing, run.status.get().phase());
        assertEquals(Reason.Sizing.name(), StepHarness.condition(run, ConditionType.Progressing).orElseThrow().getReason());
    }

    @Test
    void anInvalidSpecFailsNamingTheFieldWithAWarningEvent() throws InterruptedException {
        InferenceJob job = h.create("bad", h.spec("s3://out/bad/", 0));
        JobRun run = h.run(job);
        StepResult result = new ValidateStep().run(run);
        assertFalse(result.proceed());
        assertEquals(Phase.Failed, run.status.get().phase());
        assertTrue(run.status.get().message().contains("spec.workers"), run.status.get().message());
        assertEquals(Reason.InvalidSpec.name(), StepHarness.condition(run, ConditionType.Failed).orElseThrow().getReason());
        assertEquals(1, h.events("bad", Reason.InvalidSpec.name()).size());
    }

    @Test
    void aBudgetOnAPoolWithoutPricesIsRefusedBeforeProfiling() {
        JobRun run = h.run(h.create("budget", h.spec("s3://out/budget/", null).withBudget(1.0)));
        new ValidateStep().run(run);
        assertEquals(Phase.Failed, run.status.get().phase());
        assertTrue(run.status.get().message().startsWith("spec.budget: is 1.0 but node pool"), run.status.get().message());
    }
}
