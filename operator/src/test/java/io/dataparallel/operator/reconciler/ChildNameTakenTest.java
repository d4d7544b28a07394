package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An InferenceJob deleted and applied again under the same name meets its earlier incarnation's
 * children until the garbage collector deletes them (the mock API server has none: the test plays
 * it). The new job must wait for them to go, never run on the earlier plan or Job.
 */
class ChildNameTakenTest extends StepTest {

    @Test
    void aJobAppliedAgainWaitsForTheEarlierJobsChildrenAndThenMakesItsOwn() {
        InferenceJob first = h.create("again", h.spec("s3://out/again/", 2));
        JobRun run1 = h.run(first, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        new PlanStep().run(run1);
        new RunStep().run(h.run(first, run1.status.get()));
        h.client().resource(first).delete(); // no garbage collector here: the children stay, as for seconds on a cluster
        InferenceJob again = h.create("again", h.spec("s3://out/again/", 2));

        JobRun planning = h.run(again, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        ChildNameTakenException plan = assertThrows(ChildNameTakenException.class, () -> new PlanStep().run(planning));
        assertTrue(plan.earlierJob());
        StepResult waiting = planning.childNameTaken(plan);
        assertEquals(JobRun.EARLIER_CHILD_RETRY, waiting.requeueAfter());
        assertEquals(Phase.Planning, planning.status.get().phase());
        assertTrue(planning.status.get().message().startsWith("waiting for the garbage collector to delete ConfigMap "
                + OperatorFixture.NAMESPACE + "/" + Children.planConfigMap(again)), planning.status.get().message());

        deleteConfigMap(Children.planConfigMap(again)); // the garbage collector's turn
        JobRun planned = h.run(again, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        assertTrue(new PlanStep().run(planned).proceed());
        assertTrue(ChildOwner.controls(again, configMap(Children.planConfigMap(again))));

        JobRun running = h.run(again, planned.status.get());
        assertEquals(null, running.child(Job.class, Children.workerJob(again), true), "the earlier job's worker Job is not this job's");
        ChildNameTakenException workers = assertThrows(ChildNameTakenException.class, () -> new RunStep().run(running));
        assertTrue(workers.earlierJob());
        assertTrue(workers.getMessage().contains("Job " + OperatorFixture.NAMESPACE + "/" + Children.workerJob(again)), workers.getMessage());

        h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(Children.workerJob(again)).delete();
        JobRun started = h.run(again, planned.status.get());
        new RunStep().run(started);
        assertTrue(ChildOwner.controls(again, h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE)
                .withName(Children.workerJob(again)).get()));
        assertEquals("workers running", started.status.get().message());
    }

    @Test
    void anEarlierJobsChildStillThereAfterTheWaitFailsTheJobSayingWhatToDelete() throws InterruptedException {
        InferenceJob first = h.create("stuck", h.spec("s3://out/stuck/", 2));
        new PlanStep().run(h.run(first, InferenceJobStatus.EMPTY.withPhase(Phase.Planning)));
        h.client().resource(first).delete();
        InferenceJob again = h.create("stuck", h.spec("s3://out/stuck/", 2));
        again.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z"); // applied long ago: the wait is over
        JobRun run = h.run(again, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        ChildNameTakenException e = assertThrows(ChildNameTakenException.class, () -> new PlanStep().run(run));
        assertFalse(run.childNameTaken(e).proceed());
        assertEquals(Phase.Failed, run.status.get().phase());
        assertEquals(Reason.ChildNameTaken.name(), StepHarness.condition(run, ConditionType.Failed).orElseThrow().getReason());
        assertTrue(run.status.get().message().contains("the garbage collector has not deleted ConfigMap")
                && run.status.get().message().contains("delete it and apply the InferenceJob again"), run.status.get().message());
        assertEquals(1, h.events("stuck", Reason.ChildNameTaken.name()).size());
    }

    @Test
    void aNameHeldBySomethingElseFailsTheJobAtOnceNamingTheObjectAndTheFix() {
        InferenceJob job = h.create("taken", h.spec("s3://out/taken/", 2));
        h.client().resource(new ConfigMapBuilder().withNewMetadata().withName(Children.planConfigMap(job))
                .withNamespace(OperatorFixture.NAMESPACE).endMetadata().withData(Map.of("notes", "a user's own")).build()).create();
        JobRun run = h.run(job, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        ChildNameTakenException e = assertThrows(ChildNameTakenException.class, () -> new PlanStep().run(run));
        assertFalse(e.earlierJob());
        run.childNameTaken(e);
        assertEquals(Phase.Failed, run.status.get().phase());
        assertEquals("ConfigMap " + OperatorFixture.NAMESPACE + "/" + Children.planConfigMap(job) + " exists and is not this InferenceJob's"
                + " (it has no controller): delete it or give the InferenceJob another metadata.name, and apply the InferenceJob again",
                run.status.get().message());
        assertEquals("a user's own", configMap(Children.planConfigMap(job)).getData().get("notes"), "nothing of theirs is touched");
    }

    private ConfigMap configMap(String name) {
        return h.client().configMaps().inNamespace(OperatorFixture.NAMESPACE).withName(name).get();
    }

    private void deleteConfigMap(String name) {
        h.client().configMaps().inNamespace(OperatorFixture.NAMESPACE).withName(name).delete();
    }
}
