package io.dataparallel.operator.reconciler;

import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.operator.resources.WorkerJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The worker Job's suspend flag, in step with spec.suspend, and the Suspended condition. Never
 * resumes a Job another controller suspended: with Kueue, the Job is created suspended and Kueue
 * resumes it when it admits it, so the operator only undoes its own suspension (marked on the Job).
 *
 * @param suspended the worker Job is suspended now (and not finished)
 * @param byOther   suspended by another controller, not by spec.suspend
 */
record Suspension(boolean suspended, boolean byOther) {

    /** Patches the Job to follow spec.suspend where that is ours to do; returns the Job as it is then. */
    static Job sync(JobRun run, Job workers, boolean suspend) {
        boolean suspended = Boolean.TRUE.equals(workers.getSpec().getSuspend());
        boolean ours = workers.getMetadata().getAnnotations() != null
                && "true".equals(workers.getMetadata().getAnnotations().get(WorkerJobs.SUSPENDED_BY_OPERATOR));
        String patch;
        if (suspend && !suspended) {
            patch = "{\"metadata\":{\"annotations\":{\"" + WorkerJobs.SUSPENDED_BY_OPERATOR + "\":\"true\"}},\"spec\":{\"suspend\":true}}";
        } else if (!suspend && suspended && ours) {
            patch = "{\"metadata\":{\"annotations\":{\"" + WorkerJobs.SUSPENDED_BY_OPERATOR + "\":null}},\"spec\":{\"suspend\":false}}";
        } else {
            return workers;
        }
        return run.client.batch().v1().jobs().inNamespace(run.namespace()).withName(workers.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** What {@code workers} shows, given what the spec asks. */
    static Suspension of(Job workers, boolean suspend) {
        boolean suspended = Boolean.TRUE.equals(workers.getSpec().getSuspend()) && !JobStatuses.finished(workers);
        return new Suspension(suspended, suspended && !suspend);
    }

    /** Sets the Suspended condition and the phase, with an Event when the workers stop or start again. */
    void record(JobRun run, boolean suspend) {
        StatusDraft s = run.status;
        String why = suspend ? "spec.suspend is true: workers are stopped; finished partitions are kept"
                : byOther ? "the worker Job is suspended by another controller (a queue such as Kueue): it runs once admitted"
                : "workers run";
        Reason reason = suspended ? (byOther ? Reason.QueuedExternally : Reason.Suspended) : Reason.Resumed;
        if (s.condition(ConditionType.Suspended, suspended, reason, why, run.generation())
                && (suspended || s.get().phase() == Phase.Suspended)) {
            run.events.normal(run.job, suspended ? Reason.Suspended : Reason.Resumed, suspended
                    ? "workers suspended" + (byOther ? " by another controller" : "") : "workers resumed; finished partitions are skipped");
        }
        s.set(x -> x.withPhase(suspended ? Phase.Suspended : Phase.Running));
    }

    /** status.message while the workers do not run, or run. */
    String message() {
        return suspended ? (byOther ? "suspended by another controller; waiting to be admitted" : "suspended") : "workers running";
    }
}
