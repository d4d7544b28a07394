package io.dataparallel.operator.reconciler;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.Timestamps;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.api.validation.SpecValidator;
import io.dataparallel.core.output.OutputClaim;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.ResumeScan;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.StoreUnavailableException;
import io.dataparallel.core.summary.StatusOf;
import io.dataparallel.operator.resources.Children;
import io.dataparallel.operator.resources.PlanConfigMap;
import io.dataparallel.operator.sizing.SizedSpec;
import java.time.Duration;
import java.util.Map;

/**
 * Planning: list the partitions, claim the output (refused when its earlier predictions were
 * computed differently, unless the job carries {@link InferenceJob#RESTART_ANNOTATION}), take
 * the partitions an earlier run computed out of the ranks ({@link ResumeScan}) and store the
 * plan in its ConfigMap.
 * When the ConfigMap already exists (an operator restarted mid-pass) the stored plan is
 * used as is: a job is planned once.
 */
final class PlanStep implements Step {
    static final Duration STORE_RETRY = Duration.ofSeconds(30);

    @Override
    public StepResult run(JobRun run) {
        if (run.status.get().startTime() == null) { // a pass that died before writing status left none
            run.status.set(s -> s.withStartTime(Timestamps.now()));
        }
        Plan plan = run.plan();
        if (plan == null) {
            try (ObjectStore store = run.stores.open(run.job)) {
                JobRef ref = new JobRef(run.namespace(), run.job.getMetadata().getName(), run.job.getMetadata().getUid());
                // the planner takes a valid spec, and this one may have been edited since ValidateStep passed it
                // (Planning waits out an unavailable store over several passes)
                InferenceJobSpec spec = SizedSpec.of(run.job.getSpec(), run.status.get().sizing()); // what sizing chose, if sized
                SpecValidator.requireValid(spec);
                plan = new Planner(store, run.config.maxWorkers()).plan(ref, spec);
                PlanConfigMap.build(run.job, plan); // a plan too large for it fails here, before the claim
                OutputLayout layout = OutputLayout.of(plan.spec().output());
                OutputClaim.claim(store, layout, plan, restartAsked(run));
                // what an earlier run of the job computed leaves the ranks: workers start only for what is left
                plan = ResumeScan.resume(store, layout, plan);
                var configMap = PlanConfigMap.build(run.job, plan);
                // a pass that died after storing its plan left it behind: that plan is the one that holds
                plan = PlanConfigMap.read(run.createOrGet(configMap));
                run.planned(plan);
            } catch (BadInputException e) {
                return run.fail(Reason.PlanFailed, e.getMessage());
            } catch (StoreUnavailableException e) {
                boolean changed = run.status.condition(ConditionType.Planned, false, Reason.StoreUnavailable, e.getMessage(),
                        run.generation());
                run.status.set(s -> s.withMessage("waiting for the store: " + e.getMessage()));
                if (changed) {
                    run.events.warning(run.job, Reason.StoreUnavailable, e.getMessage());
                }
                return StepResult.after(STORE_RETRY);
            }
        }
        Plan planned = plan; // the plan this job runs, fixed from here on
        String outputUri = run.output().root().toString();
        run.status.set(s -> StatusOf.planned(s, planned, outputUri).withPlanConfigMap(Children.planConfigMap(run.job)));
        String message = Planner.partitionsText(planned) + " (" + planned.totalBytes() + " bytes) on " + planned.worldSize() + " workers"
                + (planned.notes().isEmpty() ? "" : "; " + String.join("; ", planned.notes()));
        if (run.status.condition(ConditionType.Planned, true, Reason.Planned, message, run.generation())) {
            run.events.normal(run.job, Reason.Planned, message);
        }
        run.status.set(s -> s.withPhase(Phase.Running).withMessage(message));
        return StepResult.PROCEED;
    }

    /**
     * The user's explicit overwrite: read when claiming, so predictions computed with another
     * model, other inputs or outputs or other partition bytes are deleted instead of refused.
     */
    private static boolean restartAsked(JobRun run) {
        Map<String, String> annotations = run.job.getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(InferenceJob.RESTART_ANNOTATION));
    }
}
