package io.dataparallel.operator.reconciler;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.JobMetrics;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.StoreUnavailableException;
import io.dataparallel.core.summary.Verdict;
import io.dataparallel.operator.events.Reason;
import io.dataparallel.operator.resources.Children;
import io.dataparallel.operator.resources.WorkerJobs;
import io.dataparallel.operator.sizing.SizedSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Running (or Suspended): keep the worker Job in place and its suspend flag in step with
 * the spec, report progress from the workers' progress files, and move on to Summarizing
 * once every worker (index = rank) has finished.
 */
final class RunStep {
    StepResult run(JobRun run) {
        Plan plan = run.plan();
        if (plan == null) {
            return run.fail(Reason.Failed, "the plan ConfigMap " + Children.planConfigMap(run.job)
                    + " was deleted: the plan cannot be recovered; create a new InferenceJob (finished partitions are kept)");
        }
        checkSpecUnchanged(run, plan);
        if (plan.worldSize() == 0) { // an earlier run computed every partition: no worker Job, straight to the summary
            String message = "no workers needed: " + Planner.partitionsText(plan);
            run.events.normal(run.job, Reason.WorkersFinished, message);
            run.status.set(s -> s.withPhase(Phase.Summarizing).withMessage(message + "; summarizing").withEta(null));
            return StepResult.PROCEED;
        }
        boolean suspend = Boolean.TRUE.equals(run.job.getSpec().suspend());
        String recorded = run.status.get().workerJob();
        Job workers = run.child(Job.class, Children.workerJob(run.job), recorded != null);
        if (workers == null && recorded != null && removedAfterFinishing(plan)) {
            String message = "the worker Job " + recorded + " finished and was removed after spec.ttlSecondsAfterFinished";
            run.events.normal(run.job, Reason.WorkersFinished, message);
            run.status.set(s -> s.withPhase(Phase.Summarizing).withMessage(message + "; summarizing").withEta(null));
            return StepResult.PROCEED;
        }
        if (workers == null) {
            run.ensureWorkerServiceAccount();
            workers = run.createOrGet(WorkerJobs.workers(run.job, plan, run.config, suspend));
            run.events.normal(run.job, Reason.WorkersStarted, "started " + plan.worldSize() + " workers in Job "
                    + workers.getMetadata().getName());
        } else if (!JobStatuses.finished(workers)) {
            workers = syncSuspend(run, workers, suspend);
        }
        StatusDraft s = run.status;
        String name = workers.getMetadata().getName();
        s.set(x -> x.withWorkerJob(name));
        boolean suspended = Boolean.TRUE.equals(workers.getSpec().getSuspend()) && !JobStatuses.finished(workers);
        boolean byOther = suspended && !suspend;
        String why = suspend ? "spec.suspend is true: workers are stopped; finished partitions are kept"
                : byOther ? "the worker Job is suspended by another controller (a queue such as Kueue): it runs once admitted"
                : "workers run";
        if (s.condition(StatusDraft.SUSPENDED, suspended, suspended ? (byOther ? "QueuedExternally" : "Suspended") : "Resumed",
                why, run.generation()) && (suspended || s.get().phase() == Phase.Suspended)) {
            run.events.normal(run.job, suspended ? Reason.Suspended : Reason.Resumed, suspended
                    ? "workers suspended" + (byOther ? " by another controller" : "") : "workers resumed; finished partitions are skipped");
        }
        s.set(x -> x.withPhase(suspended ? Phase.Suspended : Phase.Running));
        updateProgress(run, plan, workers);
        if (JobStatuses.finished(workers)) {
            List<Integer> failed = JobStatuses.failedRanks(workers);
            boolean timedOut = JobStatuses.timedOut(workers);
            String message = timedOut
                    ? Verdict.timedOut(plan.spec(), s.get().partitionsDone() == null ? 0 : s.get().partitionsDone(),
                            plan.partitionCount())
                    : failed.isEmpty() ? "all " + plan.worldSize() + " workers finished"
                    : failed.size() + " of " + plan.worldSize() + " workers failed (ranks " + failed + "): "
                      + WorkerFailures.explain(run, workers).orElse(JobStatuses.failedReason(workers));
            if (timedOut) {
                run.events.warning(run.job, Reason.WorkersTimedOut, message);
            } else if (failed.isEmpty()) {
                run.events.normal(run.job, Reason.WorkersFinished, message);
            } else {
                run.events.warning(run.job, Reason.WorkersFailed, message);
            }
            s.set(x -> x.withPhase(Phase.Summarizing).withMessage(message + "; summarizing").withEta(null));
            return StepResult.PROCEED;
        }
        String message = suspended ? (byOther ? "suspended by another controller; waiting to be admitted" : "suspended")
                : "workers running";
        s.set(x -> x.withMessage(message));
        if (!suspended) {
            Scheduling.check(run, workers, WorkerJobs.poolName(plan.spec(), run.config));
            StuckWorkers.check(run, workers);
        }
        return StepResult.after(run.config.pollInterval());
    }

    private void updateProgress(JobRun run, Plan plan, Job workers) {
        Optional<ProgressTracker.Snapshot> snapshot;
        try {
            snapshot = run.progress.poll(run.job, plan, run.output(), new HashSet<>(JobStatuses.completedRanks(workers)),
                    run.stores, run.config.pollInterval());
        } catch (StoreUnavailableException | BadInputException e) {
            return; // progress is informational; the workers themselves report store problems
        }
        if (snapshot.isEmpty()) {
            return;
        }
        ProgressTracker.Snapshot p = snapshot.get();
        StatusDraft s = run.status;
        String started = s.get().startTime();
        double seconds = started == null ? 0 : Duration.between(Instant.parse(started), Instant.now()).toMillis() / 1000.0;
        int left = plan.partitionCount() - p.partitionsDone();
        String progress = p.partitionsDone() + "/" + plan.partitionCount();
        s.set(x -> x.withPartitionsDone(p.partitionsDone()).withProgress(progress)
                .withMetrics(JobMetrics.running(p.samplesDone(), seconds > 0 ? p.computedSamples() / seconds : 0))
                .withEta(p.partitionsDone() > 0 && left > 0 && seconds > 0 ? Math.round(seconds / p.partitionsDone() * left) : null));
        s.condition(StatusDraft.PROGRESSING, true, "WorkersRunning", progress + " partitions done", run.generation());
    }

    /**
     * Suspends or resumes the worker Job to follow spec.suspend, and never resumes a Job that
     * another controller suspended: with Kueue, the Job is created suspended and Kueue resumes it
     * when it admits it, so the operator only undoes its own suspension (marked on the Job).
     */
    private static Job syncSuspend(JobRun run, Job workers, boolean suspend) {
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

    /**
     * A child this job created (status names it) that is gone: with a TTL set, the TTL controller
     * removes Jobs only once they finished, so it finished; creating it again would run it again,
     * and again after each TTL. Without a TTL someone deleted it: it is created again and the
     * workers skip the partitions already done.
     */
    static boolean removedAfterFinishing(Plan plan) {
        return plan.spec().ttlSecondsAfterFinished() != null;
    }

    /** Once planned a job is immutable, but for spec.suspend: say so instead of silently ignoring an edit. */
    static void checkSpecUnchanged(JobRun run, Plan plan) {
        // a sized job's plan holds the spec with the sizing's choices: that is what it was planned from
        InferenceJobSpec planned = SizedSpec.of(run.job.getSpec(), run.status.get().sizing());
        boolean changed = !withSuspend(planned, null).equals(withSuspend(plan.spec(), null));
        StatusDraft s = run.status;
        if (changed) {
            String message = "the spec changed after planning; an InferenceJob is immutable once planned (but for spec.suspend),"
                    + " so it keeps running as planned: create a new InferenceJob for the new spec";
            if (s.condition(StatusDraft.SPEC_CHANGE_REFUSED, true, Reason.SpecChangeRefused.name(), message, run.generation())) {
                run.events.warning(run.job, Reason.SpecChangeRefused, message);
            }
        } else if (s.isTrue(StatusDraft.SPEC_CHANGE_REFUSED)) {
            s.condition(StatusDraft.SPEC_CHANGE_REFUSED, false, "SpecMatchesPlan", "the spec is the planned one again", run.generation());
        }
    }

    static InferenceJobSpec withSuspend(InferenceJobSpec s, Boolean suspend) {
        return s.withSuspend(suspend);
    }
}
