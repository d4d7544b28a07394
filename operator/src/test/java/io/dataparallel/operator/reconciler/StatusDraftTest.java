package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pass that changes nothing writes nothing new; a condition's transition time moves only with its status. */
class StatusDraftTest {
    static final String LONG_AGO = "2020-01-01T00:00:00Z";

    @Test
    void aNewConditionIsATransition() {
        StatusDraft d = StatusDraft.of(null);
        assertTrue(d.condition(ConditionType.Planned, true, Reason.Planned, "3 partitions", 1L));
        Condition c = d.build().conditions().get(0);
        assertEquals("True", c.getStatus());
        assertEquals("Planned", c.getReason());
        assertEquals(1L, c.getObservedGeneration());
        assertTrue(d.isTrue(ConditionType.Planned));
        assertFalse(d.isTrue(ConditionType.Failed));
    }

    @Test
    void theSameConditionAgainChangesNothing() {
        InferenceJobStatus before = InferenceJobStatus.EMPTY.withPhase(Phase.Running).withConditions(List.of(planned("True", "3 partitions")));
        StatusDraft d = StatusDraft.of(before);
        assertFalse(d.condition(ConditionType.Planned, true, Reason.Planned, "3 partitions", 1L));
        assertEquals(before, d.build(), "nothing to write");
    }

    @Test
    void aNewMessageKeepsTheTransitionTimeAndAFlipMovesIt() {
        StatusDraft d = StatusDraft.of(InferenceJobStatus.EMPTY.withConditions(List.of(planned("True", "old"))));
        assertFalse(d.condition(ConditionType.Planned, true, Reason.Planned, "new", 2L), "the same status is no transition");
        Condition renamed = d.build().conditions().get(0);
        assertEquals("new", renamed.getMessage());
        assertEquals(LONG_AGO, renamed.getLastTransitionTime());
        assertTrue(d.condition(ConditionType.Planned, false, Reason.StoreUnavailable, "down", 2L));
        Condition flipped = d.build().conditions().get(0);
        assertEquals("False", flipped.getStatus());
        assertTrue(flipped.getLastTransitionTime().compareTo(LONG_AGO) > 0);
        assertEquals(1, d.build().conditions().size(), "one condition per type");
    }

    @Test
    void fieldsChangeThroughTheStatusOwnMethodsAndTheInputIsNotTouched() {
        InferenceJobStatus before = InferenceJobStatus.EMPTY.withPhase(Phase.Pending);
        StatusDraft d = StatusDraft.of(before);
        d.set(s -> s.withPhase(Phase.Planning).withMessage("listing partitions"));
        d.condition(ConditionType.Progressing, true, Reason.Planning, "listing", 1L);
        assertEquals(Phase.Planning, d.get().phase());
        assertEquals("listing partitions", d.build().message());
        assertEquals(Phase.Pending, before.phase());
        assertNull(before.conditions());
    }

    private static Condition planned(String status, String message) {
        return new ConditionBuilder().withType(ConditionType.Planned.name()).withStatus(status).withReason("Planned").withMessage(message)
                .withObservedGeneration(1L).withLastTransitionTime(LONG_AGO).build();
    }
}
