package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Summarizing: the summarizer Job, then the status from its summary.json as the verdict says. */
class SummarizeStepTest extends StepTest {
    /** A job planned on two workers, now summarizing. */
    private JobRun summarizing(InferenceJob job) {
        JobRun run = h.run(job, InferenceJobStatus.EMPTY.withPhase(Phase.Planning));
        new PlanStep().run(run);
        return h.run(job, run.status.get().withPhase(Phase.Summarizing));
    }

    @Test
    void theSummarizerIsStartedOnceAndWaitedFor() {
        InferenceJob job = h.create("sum", h.spec("s3://out/sum/", 2));
        JobRun run = summarizing(job);
        StepResult result = new SummarizeStep().run(run);
        assertFalse(result.proceed());
        assertEquals(SummarizeStep.CHECK, result.requeueAfter());
        assertEquals(Children.summarizerJob(job), run.status.get().summarizerJob());
        assertNotNull(summarizer(job));
        new SummarizeStep().run(h.run(job, run.status.get()));
        assertEquals(1, h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).list().getItems().size());
    }

    @Test
    void theSummaryBecomesTheStatusAndTheJobSucceeds() {
        InferenceJob job = h.create("ok", h.spec("s3://out/ok/", 2));
        JobRun first = summarizing(job);
        new SummarizeStep().run(first);
        finish(job, "Complete");
        Summary summary = new Summary("astro/ok", "h", 72, 6, 6, 0, 2, List.of(), List.of(), false, 36, 40, 72, 0, 2.0, 3.0, 0,
                1e6, 0.1, 0.5, 0.5, null, null, null, null, null, null, List.of());
        h.s3.store().putJson(OutputLayout.of("s3://out/ok/").summary(), Json.writePretty(summary), "t");
        JobRun run = h.run(job, first.status.get());
        new SummarizeStep().run(run);
        InferenceJobStatus s = run.status.get();
        assertEquals(Phase.Succeeded, s.phase());
        assertEquals("all 6 partitions done", s.message());
        assertEquals("6/6", s.progress());
        assertEquals(72L, s.metrics().samples());
        assertNotNull(s.completionTime());
        assertEquals(Reason.AllPartitionsDone.name(), StepHarness.condition(run, ConditionType.Complete).orElseThrow().getReason());
        assertEquals("False", StepHarness.condition(run, ConditionType.Progressing).orElseThrow().getStatus());
    }

    @Test
    void aFailedSummarizerFailsTheJobWithTheCommandThatShowsItsLog() {
        InferenceJob job = h.create("broken", h.spec("s3://out/broken/", 2));
        JobRun first = summarizing(job);
        new SummarizeStep().run(first);
        finish(job, "Failed");
        JobRun run = h.run(job, first.status.get());
        new SummarizeStep().run(run);
        assertEquals(Phase.Failed, run.status.get().phase());
        String log = "kubectl logs -n " + job.getMetadata().getNamespace() + " job/" + Children.summarizerJob(job);
        assertTrue(run.status.get().message().contains(log), run.status.get().message());
        assertEquals(Reason.SummarizerFailed.name(), StepHarness.condition(run, ConditionType.Failed).orElseThrow().getReason());
    }

    private Job summarizer(InferenceJob job) {
        return h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(Children.summarizerJob(job)).get();
    }

    private void finish(InferenceJob job, String condition) {
        Job s = summarizer(job);
        s.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                .addToConditions(new JobConditionBuilder().withType(condition).withStatus("True").withReason("BackoffLimitExceeded").build())
                .build());
        h.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).resource(s).updateStatus();
    }
}
