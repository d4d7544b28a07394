package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.Children;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Planning: list, claim the output, store the plan; a bad input fails the job naming it. */
class PlanStepTest extends StepTest {
    @Test
    void aPlanIsStoredAndTheStatusCountsIt() {
        InferenceJob job = h.create("plan", h.spec("s3://out/plan/", 3));
        JobRun run = h.run(job, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        assertTrue(new PlanStep().run(run).proceed());
        InferenceJobStatus s = run.status.get();
        assertEquals(Phase.Running, s.phase());
        assertEquals(OperatorFixture.PARTITIONS, s.partitions());
        assertEquals(3, s.workers());
        assertEquals("0/" + OperatorFixture.PARTITIONS, s.progress());
        assertEquals("s3://out/plan/", s.outputUri());
        assertEquals(Children.planConfigMap(job), s.planConfigMap());
        assertNotNull(h.client().configMaps().inNamespace(OperatorFixture.NAMESPACE).withName(Children.planConfigMap(job)).get());
        assertEquals("True", StepHarness.condition(run, ConditionType.Planned).orElseThrow().getStatus());
        assertNotNull(s.startTime(), "a pass that died before writing status left none: planning records it");
    }

    @Test
    void aMissingModelFailsThePlanNamingTheField() throws InterruptedException {
        InferenceJob job = h.create("nomodel", h.spec("s3://out/nomodel/", 2)
                .withModel(new ModelSpec("s3://models/astro/missing.pt", List.of("images", "magnitudes"), List.of("redshift_pred"))));
        JobRun run = h.run(job, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        new PlanStep().run(run);
        assertEquals(Phase.Failed, run.status.get().phase());
        assertTrue(run.status.get().message().contains("spec.model.uri"), run.status.get().message());
        assertEquals(Reason.PlanFailed.name(), StepHarness.condition(run, ConditionType.Failed).orElseThrow().getReason());
        assertEquals(1, h.events("nomodel", Reason.PlanFailed.name()).size());
    }
}
