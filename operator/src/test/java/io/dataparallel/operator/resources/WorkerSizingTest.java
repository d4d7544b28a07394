package io.dataparallel.operator.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scratch space and direct memory follow the partitions a worker holds at once: two, or three with spec.data.keep. */
class WorkerSizingTest {
    static final long MI = 1L << 20;
    static final InferenceJobSpec SPEC = InferenceJobSpec.of(new ModelSpec("s3://m/model.onnx", List.of("x"), null),
            new DataSpec("s3://d/in/", null, null), new OutputSpec("s3://d/out/"));

    @Test
    void twoPartitionsInFlightWithoutKeep() {
        Plan plan = plan(SPEC);
        assertEquals(2, WorkerSizing.partitionsInFlight(plan));
        assertEquals(new Quantity(Long.toString(2 * 300 + 1024), "Mi"), WorkerSizing.scratch(plan));
        assertEquals("-Xmx1024m -XX:MaxDirectMemorySize=" + (2 * 300 + 256) + "m", javaOptions(plan));
    }

    @Test
    void threeWithKeepAsTheUploadingPartitionsKeptArraysAreCopied() {
        Plan plan = plan(SPEC.withData(new DataSpec("s3://d/in/", null, null, List.of("id"))));
        assertEquals(3, WorkerSizing.partitionsInFlight(plan));
        assertEquals(new Quantity(Long.toString(3 * 300 + 1024), "Mi"), WorkerSizing.scratch(plan));
        assertEquals("-Xmx1024m -XX:MaxDirectMemorySize=" + (3 * 300 + 256) + "m", javaOptions(plan));
    }

    private static String javaOptions(Plan plan) {
        var resources = new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("4Gi")).build();
        return WorkerSizing.env(resources, plan).stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .map(EnvVar::getValue).findFirst().orElseThrow();
    }

    private static Plan plan(InferenceJobSpec spec) {
        return new Plan(1, new JobRef("ns", "t", "u"), spec, 1, List.of("in/a.h5", "in/b.h5"), List.of(100 * MI, 300 * MI),
                List.of("e1", "e2"), List.of(0, 2), List.of());
    }
}
