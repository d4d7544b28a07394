package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Reason;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler's own reason becomes the WorkersUnschedulable condition; pods are read only when none is ready. */
class SchedulingTest {
    @Test
    void anUnschedulablePodIsSaidWithTheSchedulersReasonAndThePool() {
        Observation o = Scheduling.observe(job(2, 0), WorkerPods.listed(List.of(pod("Unschedulable", "0/3 nodes are available"))), "gpu");
        assertTrue(o.holds());
        assertEquals(ConditionType.WorkersUnschedulable, o.type());
        assertEquals(Reason.Unschedulable, o.reason());
        assertEquals(Reason.WorkersUnschedulable, o.event());
        assertTrue(o.message().startsWith("workers cannot be scheduled: 0/3 nodes are available; check spec.nodePool ('gpu'"), o.message());
    }

    @Test
    void readyWorkersAreNotLookedInto() {
        WorkerPods never = WorkerPods.listed(null); // listing it would fail: the observer must not
        Observation o = Scheduling.observe(job(2, 2), never, "cpu");
        assertFalse(o.holds());
        assertEquals(Reason.Scheduled, o.reason());
    }

    @Test
    void podsThatArePendingForAnotherReasonAreNotUnschedulable() {
        assertFalse(Scheduling.observe(job(1, 0), WorkerPods.listed(List.of(pod("SchedulingGated", "gated"))), "cpu").holds());
    }

    private static Job job(int active, int ready) {
        return new JobBuilder().withNewMetadata().withName("w").endMetadata().withNewStatus().withActive(active).withReady(ready)
                .endStatus().build();
    }

    private static Pod pod(String reason, String message) {
        return new PodBuilder().withNewMetadata().withName("w-0").endMetadata().withNewStatus().withPhase("Pending")
                .addNewCondition().withType("PodScheduled").withStatus("False").withReason(reason).withMessage(message).endCondition()
                .endStatus().build();
    }
}
