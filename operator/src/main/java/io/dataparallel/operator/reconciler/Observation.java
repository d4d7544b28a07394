package io.dataparallel.operator.reconciler;

import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Reason;

/**
 * What an observer of the running workers saw, as a condition: {@code holds} sets it True with
 * a Warning Event and the status message on its first pass; otherwise a condition that was True
 * is set False with the clearing reason. Observers only observe; {@link #apply} is the one place
 * that writes what they saw.
 *
 * @param type    the condition
 * @param holds   whether the problem is there now
 * @param reason  the condition's reason (the problem's, or the clearing one)
 * @param event   the Warning Event's reason when the problem appears
 * @param message one line on what was seen and what to do
 */
record Observation(ConditionType type, boolean holds, Reason reason, Reason event, String message) {

    static Observation problem(ConditionType type, Reason reason, Reason event, String message) {
        return new Observation(type, true, reason, event, message);
    }

    static Observation cleared(ConditionType type, Reason reason, String message) {
        return new Observation(type, false, reason, null, message);
    }

    /** Writes the observation into the pass's status: the condition, and status.message while the problem holds. */
    void apply(JobRun run) {
        applyCondition(run);
        if (holds) {
            run.status.set(x -> x.withMessage(message));
        }
    }

    /** Sets the condition alone, with a Warning Event when the problem just appeared. */
    void applyCondition(JobRun run) {
        StatusDraft s = run.status;
        if (holds) {
            if (s.condition(type, true, reason, message, run.generation())) {
                run.events.warning(run.job, event, message);
            }
        } else if (s.isTrue(type)) {
            s.condition(type, false, reason, message, run.generation());
        }
    }
}
