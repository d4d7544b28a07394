package io.dataparallel.operator.reconciler;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.Timestamps;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.api.validation.FieldError;
import io.dataparallel.api.validation.SpecValidator;
import io.dataparallel.operator.resources.WorkerJobs;
import java.util.List;

/** Pending: the spec is checked before anything touches S3 or the cluster. */
final class ValidateStep implements Step {
    @Override
    public StepResult run(JobRun run) {
        List<FieldError> problems = SpecValidator.problems(run.job.getSpec());
        if (!problems.isEmpty()) {
            return run.fail(Reason.InvalidSpec, String.join("; ", problems.stream().map(FieldError::toString).toList()));
        }
        try {
            WorkerJobs.pool(run.job.getSpec(), run.config);
        } catch (BadInputException e) {
            return run.fail(Reason.InvalidSpec, e.getMessage());
        }
        String unpriced = SizeStep.budgetWithoutPrices(run.job.getSpec(), run.config);
        if (unpriced != null) { // before profiling: no profile makes a budget checkable without prices
            return run.fail(Reason.InvalidSpec, unpriced);
        }
        if (SizeStep.wanted(run.job.getSpec())) { // spec.deadline or spec.budget: the operator chooses what the user left out
            run.status.set(s -> s.withPhase(Phase.Sizing).withMessage("sizing: listing partitions, then profiling the model")
                    .withStartTime(s.startTime() == null ? Timestamps.now() : s.startTime()));
            run.status.condition(ConditionType.Progressing, true, Reason.Sizing, "sizing for "
                    + (run.job.getSpec().deadline() != null ? "spec.deadline " + run.job.getSpec().deadline() : "spec.budget "
                    + run.job.getSpec().budget()), run.generation());
            return StepResult.PROCEED;
        }
        run.status.set(s -> s.withPhase(Phase.Planning).withMessage("listing partitions")
                .withStartTime(s.startTime() == null ? Timestamps.now() : s.startTime()));
        run.status.condition(ConditionType.Progressing, true, Reason.Planning, "listing partitions under " + run.job.getSpec().data().uri(),
                run.generation());
        return StepResult.PROCEED;
    }
}
