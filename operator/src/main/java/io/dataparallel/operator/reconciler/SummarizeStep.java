package io.dataparallel.operator.reconciler;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.Timestamps;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.StoreUnavailableException;
import io.dataparallel.core.summary.StatusOf;
import io.dataparallel.core.summary.Verdict;
import io.dataparallel.operator.resources.Children;
import io.dataparallel.operator.resources.WorkerJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Summarizing: run the summarizer Job, copy {@code summary.json} into status.metrics, and
 * end as the {@link Verdict} on the summary says.
 */
final class SummarizeStep implements Step {
    static final Duration CHECK = Duration.ofSeconds(5);

    @Override
    public StepResult run(JobRun run) {
        Plan plan = run.plan();
        if (plan == null) {
            return run.fail(Reason.PlanLost, "the plan ConfigMap " + Children.planConfigMap(run.job) + " was deleted before the summary");
        }
        SpecChange.check(run, plan);
        // the name status recorded wins over today's: a job summarizing while the operator was upgraded finds the Job
        // the earlier version started (then named <name>-summary), so no second summarizer starts
        String recordedName = run.status.get().summarizerJob();
        boolean recorded = recordedName != null;
        Job summarizer = run.child(Job.class, recorded ? recordedName : Children.summarizerJob(run.job), recorded);
        if (summarizer == null && recorded && SpecChange.removedAfterFinishing(plan)) {
            return readSummary(run, plan); // finished and removed by its TTL: its summary.json is what is left
        }
        if (summarizer == null) {
            Job workers = plan.worldSize() == 0 ? null : run.child(Job.class, Children.workerJob(run.job), true);
            summarizer = run.createOrGet(WorkerJobs.summarizer(run.job, plan, run.config, workers != null && JobStatuses.timedOut(workers)));
            run.events.normal(run.job, Reason.Summarizing, "started the summarizer Job " + summarizer.getMetadata().getName());
        }
        String name = summarizer.getMetadata().getName();
        run.status.set(s -> s.withSummarizerJob(name));
        if (JobStatuses.hasCondition(summarizer, "Failed")) {
            return run.fail(Reason.SummarizerFailed, "the summarizer Job failed (" + JobStatuses.failedReason(summarizer)
                    + "); see its log: " + LogCommands.job(run.namespace(), summarizer.getMetadata().getName()));
        }
        if (!JobStatuses.hasCondition(summarizer, "Complete")) {
            return StepResult.after(CHECK);
        }
        return readSummary(run, plan);
    }

    private static StepResult readSummary(JobRun run, Plan plan) {
        Optional<Summary> summary;
        try (ObjectStore store = run.stores.open(run.job)) {
            summary = store.getIfExists(run.output().summary(), OutputLayout.FIELD).map(b -> Json.read(b, Summary.class))
                    .map(s -> CostStep.complete(run, plan, s, store));
        } catch (StoreUnavailableException | BadInputException e) {
            run.status.set(s -> s.withMessage("cannot read the summary yet: " + e.getMessage()));
            return StepResult.after(PlanStep.STORE_RETRY);
        }
        if (summary.isEmpty()) {
            return run.fail(Reason.SummarizerFailed, "the summarizer finished but wrote no summary.json under " + run.output().root());
        }
        return finish(run, plan, summary.get());
    }

    private static StepResult finish(JobRun run, Plan plan, Summary summary) {
        StatusDraft s = run.status;
        s.set(x -> StatusOf.summarized(x, plan, summary));
        Verdict verdict = Verdict.of(summary, plan.spec()); // the summary knows whether the workers timed out
        if (!verdict.succeeded()) {
            // what the pods tell (a worker OOM-killed) comes first: the summary only knows its partitions are missing
            Job workers = plan.worldSize() == 0 ? null : run.child(Job.class, Children.workerJob(run.job), true);
            String why = workers == null ? "" : WorkerFailures.explain(workers, run.workerPods(workers)).map(w -> w + "; ").orElse("");
            String log = workers == null ? "" : LogCommands.failedWorker(run.namespace(), workers, run.workerPods(workers).get(),
                    failedRanks(workers, summary)).map(l -> "; " + l).orElse("");
            return run.fail(summary.workersTimedOut() ? Reason.WorkersTimedOut : Reason.MaxFailedWorkersExceeded,
                    why + verdict.message() + log);
        }
        String message = verdict.message();
        boolean changed = s.get().phase() != Phase.Succeeded;
        s.set(x -> StatusOf.ended(x, verdict, Timestamps.now()));
        s.condition(ConditionType.Complete, true, verdict.partial() ? Reason.PartialSuccess : Reason.AllPartitionsDone, message, run.generation());
        s.condition(ConditionType.Progressing, false, Reason.Finished, message, run.generation());
        if (changed) {
            run.events.normalBeforeStatus(run.job, Reason.Succeeded, message); // the status is written after the step
        }
        return StepResult.WAIT;
    }

    /** The ranks the Job counts as failed, else those the summary found without a result. */
    private static List<Integer> failedRanks(Job workers, Summary summary) {
        List<Integer> failed = JobStatuses.failedRanks(workers);
        return failed.isEmpty() && summary.failedWorkers() != null ? summary.failedWorkers() : failed;
    }
}
