package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Running: the worker Job kept in place and followed until every rank has finished. */
class RunStepTest extends StepTest {
    /** The job as planned: what PlanStep leaves for RunStep. */
    private JobRun planned(InferenceJob job) {
        JobRun run = h.run(job, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        new PlanStep().run(run);
        return h.run(job, run.status.get());
    }

    @Test
    void theWorkerJobIsCreatedAndTheJobRuns() throws InterruptedException {
        InferenceJob job = h.create("run", h.spec("s3://out/run/", 2));
        JobRun run = planned(job);
        StepResult result = new RunStep().run(run);
        assertFalse(result.proceed());
        assertEquals(h.config.pollInterval(), result.requeueAfter());
        assertEquals(Phase.Running, run.status.get().phase());
        assertEquals("workers running", run.status.get().message());
        Job workers = h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(Children.workerJob(job)).get();
        assertNotNull(workers);
        assertEquals(2, workers.getSpec().getCompletions());
        assertEquals(workers.getMetadata().getName(), run.status.get().workerJob());
        assertEquals(1, h.events("run", Reason.WorkersStarted.name()).size());
    }

    @Test
    void aFinishedWorkerJobMovesTheJobToSummarizing() {
        InferenceJob job = h.create("done", h.spec("s3://out/done/", 2));
        JobRun first = planned(job);
        new RunStep().run(first);
        setStatus(job, new JobStatusBuilder().withSucceeded(2).withCompletedIndexes("0-1")
                .addToConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
        JobRun run = h.run(job, first.status.get());
        assertTrue(new RunStep().run(run).proceed());
        assertEquals(Phase.Summarizing, run.status.get().phase());
        assertEquals("all 2 workers finished; summarizing", run.status.get().message());
    }

    @Test
    void specSuspendCreatesTheWorkerJobSuspended() {
        InferenceJob job = h.create("held", h.spec("s3://out/held/", 2).withSuspend(true));
        JobRun run = planned(job);
        new RunStep().run(run);
        assertEquals(Phase.Suspended, run.status.get().phase());
        assertEquals(Reason.Suspended.name(), StepHarness.condition(run, ConditionType.Suspended).orElseThrow().getReason());
        assertTrue(h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(Children.workerJob(job)).get()
                .getSpec().getSuspend());
    }

    @Test
    void aDeletedPlanEndsTheJobWithAReasonOfItsOwn() {
        InferenceJob job = h.create("lost", h.spec("s3://out/lost/", 2));
        JobRun run = h.run(job, InferenceJobStatus.EMPTY.withPhase(Phase.Running));
        new RunStep().run(run);
        assertEquals(Phase.Failed, run.status.get().phase());
        assertEquals(Reason.PlanLost.name(), StepHarness.condition(run, ConditionType.Failed).orElseThrow().getReason());
    }

    @Test
    void anEditAfterPlanningIsRefusedAndTheJobRunsAsPlanned() throws InterruptedException {
        InferenceJob job = h.create("edit", h.spec("s3://out/edit/", 2));
        JobRun planned = planned(job);
        InferenceJobSpec edited = job.getSpec().withBatchSize(16);
        job.setSpec(edited);
        JobRun run = h.run(job, planned.status.get());
        new RunStep().run(run);
        assertEquals(Phase.Running, run.status.get().phase());
        assertEquals("True", StepHarness.condition(run, ConditionType.SpecChangeRefused).orElseThrow().getStatus());
        assertEquals(1, h.events("edit", Reason.SpecChangeRefused.name()).size());
    }

    @Test
    void theObserversReadTheWorkerPodsOnceAPass() {
        InferenceJob job = h.create("watch", h.spec("s3://out/watch/", 2));
        JobRun first = planned(job);
        new RunStep().run(first);
        // two pods active, none ready, one terminating: both the scheduling and the stuck-pod observers look at the pods
        setStatus(job, new JobStatusBuilder().withActive(2).withReady(0).withTerminating(1).build());
        String workerJob = Children.workerJob(job);
        h.client().pods().inNamespace(OperatorFixture.NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(workerJob + "-0")
                .addToLabels(WorkerPods.JOB_NAME_LABEL, workerJob).addToLabels(WorkerPods.INDEX_LABEL, "0").endMetadata()
                .withNewSpec().addNewContainer().withName("worker").withImage("w").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient cpu.").endCondition().endStatus()
                .build()).create();
        long before = podLists();
        JobRun run = h.run(job, first.status.get());
        new RunStep().run(run);
        assertEquals(1, podLists() - before, "one list of the worker pods per pass");
        assertEquals(Reason.Unschedulable.name(), StepHarness.condition(run, ConditionType.WorkersUnschedulable).orElseThrow().getReason());
        assertTrue(run.status.get().message().startsWith("workers cannot be scheduled: 0/3 nodes are available"), run.status.get().message());
    }

    private long podLists() {
        return h.cluster.requestKinds().getOrDefault("GET /api/v1/namespaces/*/pods", 0L);
    }

    private void setStatus(InferenceJob job, io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
        Job workers = h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(Children.workerJob(job)).get();
        workers.setStatus(status.toBuilder().withStartTime(Instant.now().toString()).build());
        h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).resource(workers).updateStatus();
    }
}
