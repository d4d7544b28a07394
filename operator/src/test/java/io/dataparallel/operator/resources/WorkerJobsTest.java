package io.dataparallel.operator.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 18: spec.timeout is the worker Job's activeDeadlineSeconds, and nothing else gets one. Kueue's queue
 * labels and its partial-admission annotation reach the worker Job, and only the worker Job.
 */
class WorkerJobsTest {
    static final InferenceJobSpec SPEC = InferenceJobSpec.of(new ModelSpec("s3://m/model.pt", List.of("x"), null),
            new DataSpec("s3://d/in/", null, null), new OutputSpec("s3://d/out/"));

    @Test
    void theTimeoutBoundsTheWorkersOnly() {
        InferenceJob job = job(SPEC.withTimeout("1h30m"));
        Job workers = WorkerJobs.workers(job, plan(job.getSpec()), OperatorConfig.defaults(), false);
        assertEquals(5400L, workers.getSpec().getActiveDeadlineSeconds());
        Job summarizer = WorkerJobs.summarizer(job, plan(job.getSpec()), OperatorConfig.defaults(), false);
        assertNull(summarizer.getSpec().getActiveDeadlineSeconds(), "the summary of what finished must still be written");
    }

    @Test
    void noTimeoutNoDeadline() {
        InferenceJob job = job(SPEC);
        assertNull(WorkerJobs.workers(job, plan(SPEC), OperatorConfig.defaults(), false).getSpec().getActiveDeadlineSeconds());
    }

    @Test
    void kueuesPartialAdmissionAnnotationAndQueueLabelsReachTheWorkerJobOnly() {
        InferenceJob job = job(SPEC.withWorkers(4));
        job.getMetadata().setLabels(Map.of("kueue.x-k8s.io/queue-name", "team-a", "kueue.x-k8s.io/priority-class", "high",
                "app", "mine"));
        job.getMetadata().setAnnotations(Map.of("kueue.x-k8s.io/job-min-parallelism", "1", "note", "not Kueue's"));
        Job workers = WorkerJobs.workers(job, plan(job.getSpec()), OperatorConfig.defaults(), false);
        assertEquals(Map.of("kueue.x-k8s.io/job-min-parallelism", "1"), workers.getMetadata().getAnnotations());
        assertEquals("team-a", workers.getMetadata().getLabels().get("kueue.x-k8s.io/queue-name"));
        assertEquals("high", workers.getMetadata().getLabels().get("kueue.x-k8s.io/priority-class"));
        assertNull(workers.getMetadata().getLabels().get("app"));

        Job suspended = WorkerJobs.workers(job, plan(job.getSpec()), OperatorConfig.defaults(), true);
        assertEquals(Map.of("kueue.x-k8s.io/job-min-parallelism", "1", WorkerJobs.SUSPENDED_BY_OPERATOR, "true"),
                suspended.getMetadata().getAnnotations(), "the operator's own suspension mark beside Kueue's annotation");

        // the summarizer runs after the workers, outside the queue: neither the label nor the annotation
        Job summarizer = WorkerJobs.summarizer(job, plan(job.getSpec()), OperatorConfig.defaults(), false);
        assertFalse(summarizer.getMetadata().getAnnotations() != null
                && summarizer.getMetadata().getAnnotations().containsKey("kueue.x-k8s.io/job-min-parallelism"));
        assertFalse(summarizer.getMetadata().getLabels().containsKey("kueue.x-k8s.io/queue-name"));
    }

    @Test
    void noKueueAnnotationNoAnnotations() {
        InferenceJob job = job(SPEC);
        assertNull(WorkerJobs.workers(job, plan(SPEC), OperatorConfig.defaults(), false).getMetadata().getAnnotations());
    }

    private static Plan plan(InferenceJobSpec spec) {
        return new Plan(1, new JobRef("ns", "t", "u"), spec, 2, List.of("in/a.npz", "in/b.npz"), List.of(10L, 10L),
                List.of("e1", "e2"), List.of(0, 1, 2), List.of());
    }

    private static InferenceJob job(InferenceJobSpec spec) {
        InferenceJob job = new InferenceJob();
        job.setMetadata(new ObjectMetaBuilder().withName("t").withNamespace("ns").withUid("u").build());
        job.setSpec(spec);
        return job;
    }
}
