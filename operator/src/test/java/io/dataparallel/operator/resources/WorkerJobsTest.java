package io.dataparallel.operator.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;

/** Issue 10 item 18: spec.timeout is the worker Job's activeDeadlineSeconds, and nothing else gets one. */
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
