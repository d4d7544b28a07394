package io.dataparallel.operator.reconciler;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Reason;
import io.dataparallel.api.status.Sizing;
import io.dataparallel.operator.sizing.SizedSpec;

/**
 * Once planned a job is immutable, but for spec.suspend: an edit is said (the condition
 * SpecChangeRefused and a Warning Event) instead of silently ignored, and the job runs as planned.
 */
final class SpecChange {
    static final String REFUSED = "the spec changed after planning; an InferenceJob is immutable once planned (but for spec.suspend),"
            + " so it keeps running as planned: create a new InferenceJob for the new spec";

    private SpecChange() {
    }

    /** Whether {@code current} is still the spec {@code plan} was made from, given the sizing that status recorded. */
    static Observation observe(InferenceJobSpec current, Sizing sizing, Plan plan) {
        // a sized job's plan holds the spec with the sizing's choices: that is what it was planned from
        InferenceJobSpec planned = SizedSpec.of(current, sizing);
        boolean changed = !planned.withSuspend(null).equals(plan.spec().withSuspend(null));
        return changed ? Observation.problem(ConditionType.SpecChangeRefused, Reason.SpecChangeRefused, Reason.SpecChangeRefused, REFUSED)
                : Observation.cleared(ConditionType.SpecChangeRefused, Reason.SpecMatchesPlan, "the spec is the planned one again");
    }

    /**
     * Sets the condition; unlike the workers' observers it leaves status.message alone, which
     * says what the job is doing: it goes on doing it.
     */
    static void check(JobRun run, Plan plan) {
        observe(run.job.getSpec(), run.status.get().sizing(), plan).applyCondition(run);
    }

    /**
     * A child this job created (status names it) that is gone: with a TTL set, the TTL controller
     * removes Jobs only once they finished, so it finished; creating it again would run it again,
     * and again after each TTL. Without a TTL someone deleted it: it is created again and the
     * workers skip the partitions already done.
     */
    static boolean removedAfterFinishing(Plan plan) {
        return plan.spec().ttlSecondsAfterFinished() != null;
    }
}
