package io.dataparallel.operator.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.status.Sizing;
import io.dataparallel.core.sizing.WorkerSize;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec a sized job is planned with: the choice fills only what the user left out. */
class SizedSpecTest {
    private static final InferenceJobSpec SPEC = InferenceJobSpec.of(new ModelSpec("s3://m/model.pt", List.of("x"), null),
            new DataSpec("s3://d/p/", null, null), new OutputSpec("s3://o/out/")).withDeadline("10m");
    private static final Sizing.Option CHOSEN = new Sizing.Option("chosen", 6, 512, 1, "2", "4Gi", 300.0, 0.12, 3600.0);

    private static Sizing sizing(Sizing.Option chosen) {
        return new Sizing("10m", null, "g", "p", false, null, chosen, List.of(), null, null, null, null, null);
    }

    @Test
    void unsizedOrNotYetSizedIsTheSpecItself() {
        assertSame(SPEC, SizedSpec.of(SPEC, null));
        assertSame(SPEC, SizedSpec.of(SPEC, sizing(null)));
    }

    @Test
    void theChoiceFillsWhatTheUserLeftOut() {
        InferenceJobSpec sized = SizedSpec.of(SPEC, sizing(CHOSEN));
        assertEquals(6, sized.workers());
        assertEquals(512, sized.batchSize());
        assertNull(sized.replicas(), "one replica is the default: not written");
        assertEquals(new Quantity("2"), sized.resources().getRequests().get("cpu"));
        assertEquals(new Quantity("4Gi"), sized.resources().getRequests().get("memory"));
        assertEquals(new Quantity("4Gi"), sized.resources().getLimits().get("memory"));
    }

    @Test
    void whatTheUserFixedStays() {
        InferenceJobSpec fixed = SPEC.withWorkers(3).withBatchSize(64)
                .withResources(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("1500m")).build());
        InferenceJobSpec sized = SizedSpec.of(fixed, sizing(CHOSEN));
        assertEquals(3, sized.workers());
        assertEquals(64, sized.batchSize());
        assertEquals(new Quantity("1500m"), sized.resources().getRequests().get("cpu"));
        assertEquals(new Quantity("4Gi"), sized.resources().getRequests().get("memory"), "memory was left out: chosen");
    }

    @Test
    void quantitiesForPeopleAndThePodSpec() {
        assertEquals("2", SizingStatus.cpu(new WorkerSize(2, 4, 0)));
        assertEquals("500m", SizingStatus.cpu(new WorkerSize(0.5, 4, 0)));
        assertEquals("4Gi", SizingStatus.memory(new WorkerSize(1, 4, 0)));
        assertEquals("1536Mi", SizingStatus.memory(new WorkerSize(1, 1.5, 0)));
    }
}
