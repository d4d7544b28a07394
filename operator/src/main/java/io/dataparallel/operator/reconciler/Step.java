package io.dataparallel.operator.reconciler;

/**
 * One phase's work in a reconcile pass: read what the cluster and the status say, change the
 * status draft, create what is missing, and say whether the next phase's step runs in this pass.
 * Every step has this shape so that the reconciler is a table from phase to step and each step
 * is tested alone on a {@link JobRun}.
 */
interface Step {
    /** For the phases where a job has ended: nothing to do until its spec or its children change. */
    Step ENDED = run -> StepResult.WAIT;

    StepResult run(JobRun run);
}
