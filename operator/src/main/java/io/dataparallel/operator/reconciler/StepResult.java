package io.dataparallel.operator.reconciler;

import java.time.Duration;

/**
 * What a phase step decided: go on to the next phase in this pass, come back after a
 * while, or wait for the next event (a child Job changing, the spec changing).
 *
 * @param proceed      run the step of the (new) phase now
 * @param requeueAfter when to look again; null means only on an event
 */
record StepResult(boolean proceed, Duration requeueAfter) {
    static final StepResult PROCEED = new StepResult(true, null);
    static final StepResult WAIT = new StepResult(false, null);

    static StepResult after(Duration d) {
        return new StepResult(false, d);
    }
}
