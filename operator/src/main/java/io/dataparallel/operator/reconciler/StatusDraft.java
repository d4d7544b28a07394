package io.dataparallel.operator.reconciler;

import io.dataparallel.api.Timestamps;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The status being worked out during one reconcile pass: an immutable
 * {@link InferenceJobStatus}, replaced by each change, written whole at the end. A
 * condition's lastTransitionTime moves only when its status changes, so re-running a pass
 * writes nothing new.
 */
final class StatusDraft {
    private InferenceJobStatus status = InferenceJobStatus.EMPTY;

    static StatusDraft of(InferenceJobStatus s) {
        StatusDraft d = new StatusDraft();
        if (s != null) {
            d.status = s;
        }
        return d;
    }

    /** The status as worked out so far. */
    InferenceJobStatus get() {
        return status;
    }

    /** Changes fields with the status's {@code with…} methods: a new status field needs nothing here. */
    void set(UnaryOperator<InferenceJobStatus> change) {
        status = change.apply(status);
    }

    InferenceJobStatus build() {
        return status;
    }

    /** Sets a condition; returns true when its status changed (a transition worth an Event). */
    boolean condition(ConditionType type, boolean value, Reason reason, String text, Long generation) {
        String wanted = value ? "True" : "False";
        List<Condition> conditions = status.conditions() == null ? new ArrayList<>() : new ArrayList<>(status.conditions());
        boolean changed = true;
        boolean found = false;
        for (int i = 0; i < conditions.size() && !found; i++) {
            Condition c = conditions.get(i);
            if (type.name().equals(c.getType())) {
                found = true;
                changed = !wanted.equals(c.getStatus());
                if (changed || !reason.name().equals(c.getReason()) || !Objects.equals(text, c.getMessage())) {
                    conditions.set(i, new ConditionBuilder(c).withStatus(wanted).withReason(reason.name()).withMessage(text)
                            .withObservedGeneration(generation)
                            .withLastTransitionTime(changed ? Timestamps.now() : c.getLastTransitionTime()).build());
                }
            }
        }
        if (!found) {
            conditions.add(new ConditionBuilder().withType(type.name()).withStatus(wanted).withReason(reason.name()).withMessage(text)
                    .withObservedGeneration(generation).withLastTransitionTime(Timestamps.now()).build());
        }
        status = status.withConditions(List.copyOf(conditions));
        return changed;
    }

    boolean isTrue(ConditionType type) {
        return status.conditions() != null
                && status.conditions().stream().anyMatch(c -> type.name().equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
