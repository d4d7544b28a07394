package io.dataparallel.operator.reconciler;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.events.EventRecorder;
import io.dataparallel.operator.s3.StoreAccess;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The InferenceJob controller: an explicit state machine over {@code status.phase}
 * (Pending → Planning → Running ⇄ Suspended → Summarizing → Succeeded | Failed), one
 * small step per phase. Every pass starts from what the cluster and the status say, so
 * the operator can be restarted at any moment: children have fixed names and are
 * created only when absent, and the status alone is written, conditional on the version read.
 */
@ControllerConfiguration(name = InferenceJobReconciler.NAME)
public class InferenceJobReconciler implements Reconciler<InferenceJob> {
    public static final String NAME = "inferencejob";
    static final String SELECTOR = "app.kubernetes.io/managed-by=dataparallel-operator";
    private static final Logger LOG = LoggerFactory.getLogger(InferenceJobReconciler.class);
    /** Phases a pass may walk through at most (Pending → Sizing → Planning → Running → Summarizing → done). */
    private static final int MAX_STEPS = 7;
    private static final Duration STALE_RETRY = Duration.ofMillis(200);

    private final OperatorConfig config;
    private final StoreAccess stores;
    private final EventRecorder events;
    private final ProgressTracker progress = new ProgressTracker();
    private final ServiceAccounts serviceAccounts = new ServiceAccounts();
    private final PlanCache plans = new PlanCache();
    private final Map<Phase, Step> steps = steps();

    public InferenceJobReconciler(OperatorConfig config, StoreAccess stores, EventRecorder events) {
        this.config = config;
        this.stores = stores;
        this.events = events;
    }

    /**
     * Child Jobs map back to their InferenceJob through owner references. Plan ConfigMaps are not
     * watched: an informer would keep every plan (up to 1 MiB each) in the heap, and a plan never
     * changes, so it is read once when needed and kept in {@link PlanCache}.
     */
    @Override
    public List<EventSource<?, InferenceJob>> prepareEventSources(EventSourceContext<InferenceJob> context) {
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, InferenceJob.class)
                        .withLabelSelector(SELECTOR).build(), context));
    }

    @Override
    public UpdateControl<InferenceJob> reconcile(InferenceJob job, Context<InferenceJob> context) {
        MDC.put("job", job.getMetadata().getNamespace() + "/" + job.getMetadata().getName());
        try {
            StatusDraft status = StatusDraft.of(job.getStatus());
            JobRun run = new JobRun(job, status, context.getClient(), JobRun.ChildCache.of(context), config, events, stores, progress,
                    serviceAccounts, plans);
            retryAfterSpecFix(run);
            StepResult result = StepResult.PROCEED;
            for (int i = 0; i < MAX_STEPS && result.proceed(); i++) {
                Phase before = status.get().phase();
                try {
                    result = step(run);
                } catch (ChildNameTakenException e) {
                    result = run.childNameTaken(e);
                }
                if (status.get().phase() != before) {
                    LOG.info("{} -> {}: {}", before, status.get().phase(), status.get().message());
                }
            }
            progress.passEnded(job, status.get().phase());
            status.set(s -> s.withObservedGeneration(job.getMetadata().getGeneration()));
            InferenceJobStatus next = status.build();
            UpdateControl<InferenceJob> control = UpdateControl.noUpdate();
            if (!Objects.equals(next, job.getStatus()) && !writeStatus(context, job, next)) {
                return control.rescheduleAfter(STALE_RETRY);
            }
            if (result.requeueAfter() != null) {
                control.rescheduleAfter(result.requeueAfter());
            }
            return control;
        } finally {
            MDC.remove("job");
        }
    }

    /**
     * Replaces the status, conditional on the resourceVersion this pass started from. A pass
     * that worked from a stale copy loses (409) and the job is looked at again at once, instead
     * of a patch merging old and new conditions.
     */
    private static boolean writeStatus(Context<InferenceJob> context, InferenceJob job, InferenceJobStatus next) {
        InferenceJob update = new InferenceJob();
        update.setMetadata(new ObjectMetaBuilder().withName(job.getMetadata().getName())
                .withNamespace(job.getMetadata().getNamespace())
                .withResourceVersion(job.getMetadata().getResourceVersion()).build());
        update.setStatus(next);
        try {
            InferenceJob written = context.getClient().resource(update).updateStatus();
            // the next pass may start before the watch brings this write back: let JOSDK hand it
            // the written resource, not a stale copy that would redo this pass's work and lose with 409
            context.eventSourceRetriever().getControllerEventSource()
                    .handleRecentResourceUpdate(ResourceID.fromResource(job), written, job);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                LOG.debug("status of {} changed meanwhile; looking again", job.getMetadata().getName());
                return false;
            }
            throw e;
        }
    }

    private StepResult step(JobRun run) {
        return steps.get(run.status.get().phase() == null ? Phase.Pending : run.status.get().phase()).run(run);
    }

    /** Each phase's step; a pass runs one, and the next when a step moves the job on. */
    private static Map<Phase, Step> steps() {
        Map<Phase, Step> steps = new EnumMap<>(Phase.class);
        steps.put(Phase.Pending, new ValidateStep());
        steps.put(Phase.Sizing, new SizeStep());
        steps.put(Phase.Planning, new PlanStep());
        RunStep running = new RunStep();
        steps.put(Phase.Running, running);
        steps.put(Phase.Suspended, running);
        steps.put(Phase.Summarizing, new SummarizeStep());
        steps.put(Phase.Succeeded, Step.ENDED);
        steps.put(Phase.Failed, Step.ENDED);
        return Map.copyOf(steps);
    }

    /** A job that failed on its spec before it was planned tries again once the spec is edited. */
    private static void retryAfterSpecFix(JobRun run) {
        InferenceJobStatus s = run.status.get();
        boolean specProblem = s.conditions() != null && s.conditions().stream().anyMatch(c -> ConditionType.Failed.name().equals(c.getType())
                && "True".equals(c.getStatus())
                && (Reason.InvalidSpec.name().equals(c.getReason()) || Reason.PlanFailed.name().equals(c.getReason())
                    || Reason.SizingInfeasible.name().equals(c.getReason())));
        Long generation = run.generation();
        if (s.phase() == Phase.Failed && specProblem && s.planConfigMap() == null && generation != null
                && s.observedGeneration() != null && generation > s.observedGeneration()) {
            // a new deadline or budget is sized again (a kept profile makes that quick)
            run.status.set(x -> x.withPhase(Phase.Pending).withMessage("the spec changed: trying again").withCompletionTime(null)
                    .withSizing(null));
            run.status.condition(ConditionType.Failed, false, Reason.SpecChanged, "the spec changed after a failed validation", generation);
        }
    }

    /** Unexpected errors (API server hiccups, bugs) go into status and JOSDK retries with backoff. */
    @Override
    public ErrorStatusUpdateControl<InferenceJob> updateErrorStatus(InferenceJob job, Context<InferenceJob> context, Exception e) {
        StatusDraft status = StatusDraft.of(job.getStatus());
        status.set(s -> s.withMessage("reconcile failed, retrying: " + e.getMessage()));
        job.setStatus(status.build());
        LOG.warn("reconcile of {}/{} failed: {}", job.getMetadata().getNamespace(), job.getMetadata().getName(), e.toString());
        return ErrorStatusUpdateControl.patchStatus(job);
    }
}
