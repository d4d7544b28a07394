package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StuckWorkersTest {
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    @Test
    void aPodDeletedPastItsGracePeriodAndMarginThatHasNotEndedIsNamedWithItsNodeAndTheWayOut() {
        Optional<String> why = StuckWorkers.describe(List.of(pod("w-0", "2026-12-02T07:59:00Z", "Running"),
                pod("w-1", null, "Running")), NOW);
        assertTrue(why.isPresent());
        assertEquals("1 deleted worker pod(s) have not ended (w-0 on node lost-node): the Job controller runs their ranks again"
                + " only once they end; if the node is gone, taint it node.kubernetes.io/out-of-service=nodeshutdown:NoExecute"
                + " or delete the Node", why.get());
    }

    @Test
    void podsStillWithinTheirGracePeriodOrEndedAreNotStuck() {
        assertEquals(Optional.empty(), StuckWorkers.describe(List.of(pod("w-0", "2026-12-02T07:59:45Z", "Running"),
                pod("w-1", "2026-12-02T07:50:00Z", "Failed"), pod("w-2", null, "Running")), NOW));
    }

    private static Pod pod(String name, String deletionTimestamp, String phase) {
        return new PodBuilder().withNewMetadata().withName(name).withDeletionTimestamp(deletionTimestamp).endMetadata()
                .withNewSpec().withNodeName("lost-node").endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }
}
