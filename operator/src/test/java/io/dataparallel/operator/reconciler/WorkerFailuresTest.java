package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerFailuresTest {
    @Test
    void anOomKilledFailedRankIsNamedWithItsLimitAndTheFieldToRaise() {
        Optional<String> why = WorkerFailures.oomKilled(List.of(pod(0, "OOMKilled"), pod(1, "Error"), pod(2, "OOMKilled")), List.of(0, 1));
        assertTrue(why.isPresent());
        assertEquals("rank [0] OOMKilled: a worker used more memory than its limit (200Mi); raise spec.resources.limits.memory"
                + " (the model, libtorch and two partitions must fit in it) or use smaller partitions", why.get());
    }

    @Test
    void nothingIsSaidWhenNoFailedRankWasOomKilled() {
        assertEquals(Optional.empty(), WorkerFailures.oomKilled(List.of(pod(0, "Error"), pod(1, "OOMKilled")), List.of(0)));
        assertEquals(Optional.empty(), WorkerFailures.oomKilled(List.of(), List.of(0)));
    }

    private static Pod pod(int index, String reason) {
        return new PodBuilder().withNewMetadata().withName("w-" + index)
                .addToLabels(WorkerPods.INDEX_LABEL, Integer.toString(index)).endMetadata()
                .withNewSpec().addNewContainer().withName("worker").withNewResources()
                .addToLimits("memory", new Quantity("200Mi")).endResources().endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("worker").withNewState().withNewTerminated()
                .withExitCode(137).withReason(reason).endTerminated().endState().endContainerStatus().endStatus().build();
    }
}
