package io.dataparallel.operator.reconciler;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.summary.Verdict;
import io.dataparallel.operator.resources.Children;
import io.dataparallel.operator.resources.WorkerJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.List;

/**
 * Running (or Suspended): keep the worker Job in place and its suspend flag in step with the
 * spec ({@link Suspension}), report progress ({@link ProgressStatus}), watch the workers
 * ({@link Scheduling}, {@link StuckWorkers}), and move on to Summarizing once every worker
 * (index = rank) has finished.
 */
final class RunStep implements Step {
    @Override
    public StepResult run(JobRun run) {
        Plan plan = run.plan();
        if (plan == null) {
            return run.fail(Reason.PlanLost, "the plan ConfigMap " + Children.planConfigMap(run.job)
                    + " was deleted: the plan cannot be recovered; create a new InferenceJob (finished partitions are kept)");
        }
        SpecChange.check(run, plan);
        if (plan.worldSize() == 0) { // an earlier run computed every partition: no worker Job, straight to the summary
            return toSummary(run, Reason.WorkersFinished, "no workers needed: " + Planner.partitionsText(plan), false);
        }
        boolean suspend = Boolean.TRUE.equals(run.job.getSpec().suspend());
        String recorded = run.status.get().workerJob();
        Job workers = run.child(Job.class, Children.workerJob(run.job), recorded != null);
        if (workers == null && recorded != null && SpecChange.removedAfterFinishing(plan)) {
            return toSummary(run, Reason.WorkersFinished, "the worker Job " + recorded
                    + " finished and was removed after spec.ttlSecondsAfterFinished", false);
        }
        if (workers == null) {
            run.ensureWorkerServiceAccount();
            workers = run.createOrGet(WorkerJobs.workers(run.job, plan, run.config, suspend));
            run.events.normal(run.job, Reason.WorkersStarted, "started " + plan.worldSize() + " workers in Job "
                    + workers.getMetadata().getName());
        } else if (!JobStatuses.finished(workers)) {
            workers = Suspension.sync(run, workers, suspend);
        }
        String name = workers.getMetadata().getName();
        run.status.set(x -> x.withWorkerJob(name));
        Suspension suspension = Suspension.of(workers, suspend);
        suspension.record(run, suspend);
        ProgressStatus.record(run, plan, workers);
        if (JobStatuses.finished(workers)) {
            return workersEnded(run, plan, workers);
        }
        run.status.set(x -> x.withMessage(suspension.message()));
        if (!suspension.suspended()) {
            WorkerPods pods = run.workerPods(workers);
            Scheduling.observe(workers, pods, WorkerJobs.poolName(plan.spec(), run.config)).apply(run);
            StuckWorkers.observe(workers, pods, Instant.now()).apply(run);
        }
        return StepResult.after(run.config.pollInterval());
    }

    /** The worker Job finished: say how (an Event), and summarize. */
    private static StepResult workersEnded(JobRun run, Plan plan, Job workers) {
        List<Integer> failed = JobStatuses.failedRanks(workers);
        if (JobStatuses.timedOut(workers)) {
            Integer done = run.status.get().partitionsDone();
            return toSummary(run, Reason.WorkersTimedOut, Verdict.timedOut(plan.spec(), done == null ? 0 : done, plan.partitionCount()),
                    true);
        }
        if (failed.isEmpty()) {
            return toSummary(run, Reason.WorkersFinished, "all " + plan.worldSize() + " workers finished", false);
        }
        WorkerPods pods = run.workerPods(workers);
        return toSummary(run, Reason.WorkersFailed, failed.size() + " of " + plan.worldSize() + " workers failed (ranks " + failed + "): "
                + WorkerFailures.explain(workers, pods).orElse(JobStatuses.failedReason(workers))
                + LogCommands.failedWorker(run.namespace(), workers, pods.get(), failed).map(l -> "; " + l).orElse(""), true);
    }

    private static StepResult toSummary(JobRun run, Reason reason, String message, boolean warning) {
        if (warning) {
            run.events.warning(run.job, reason, message);
        } else {
            run.events.normal(run.job, reason, message);
        }
        run.status.set(s -> s.withPhase(Phase.Summarizing).withMessage(message + "; summarizing").withEta(null));
        return StepResult.PROCEED;
    }
}
