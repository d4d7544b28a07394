package io.dataparallel.operator.reconciler;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.Timestamps;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.events.EventRecorder;
import io.dataparallel.operator.resources.Children;
import io.dataparallel.operator.resources.PlanConfigMap;
import io.dataparallel.operator.s3.StoreAccess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile pass over one InferenceJob: the resource, the status being worked out and
 * what the steps need. Child objects come from the informer cache when it holds them, from
 * the API server when it does not (the cache may lag a create), and are not looked up at all
 * when the status says they were never created: creating them then is one request, and a
 * create that finds the name taken reads what is there instead, so nothing is created twice.
 * A burst of new jobs thus costs the API server few requests per job.
 */
final class JobRun {
    static final Duration EARLIER_CHILD_WAIT = Duration.ofMinutes(5);
    static final Duration EARLIER_CHILD_RETRY = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
    final InferenceJob job;
    final StatusDraft status;
    final KubernetesClient client;
    final OperatorConfig config;
    final EventRecorder events;
    final StoreAccess stores;
    final ProgressTracker progress;
    private final ChildCache cache;
    private final ServiceAccounts serviceAccounts;
    private final PlanCache plans;
    private Plan plan;
    private OutputLayout output;
    private WorkerPods workerPods;

    /** The informer cache of the job's children, as JOSDK's context gives it; empty for a step tested alone. */
    interface ChildCache {
        ChildCache NONE = new ChildCache() {
            @Override
            public <T extends HasMetadata> Collection<T> all(Class<T> type) {
                return List.of();
            }
        };

        <T extends HasMetadata> Collection<T> all(Class<T> type);

        static ChildCache of(Context<InferenceJob> context) {
            return new ChildCache() {
                @Override
                public <T extends HasMetadata> Collection<T> all(Class<T> type) {
                    return context.getSecondaryResources(type);
                }
            };
        }
    }

    JobRun(InferenceJob job, StatusDraft status, KubernetesClient client, ChildCache cache, OperatorConfig config, EventRecorder events,
           StoreAccess stores, ProgressTracker progress, ServiceAccounts serviceAccounts, PlanCache plans) {
        this.plans = plans;
        this.job = job;
        this.status = status;
        this.cache = cache;
        this.client = client;
        this.serviceAccounts = serviceAccounts;
        this.config = config;
        this.events = events;
        this.stores = stores;
        this.progress = progress;
    }

    String namespace() {
        return job.getMetadata().getNamespace();
    }

    Long generation() {
        return job.getMetadata().getGeneration();
    }

    /** The stored plan; null when the job is not planned (or its ConfigMap was deleted). */
    Plan plan() {
        if (plan == null) {
            plan = plans.get(job.getMetadata().getUid());
        }
        if (plan == null) {
            // not watched (see InferenceJobReconciler#prepareEventSources): read it if status says it exists
            ConfigMap cm = status.get().planConfigMap() == null ? null
                    : client.configMaps().inNamespace(namespace()).withName(Children.planConfigMap(job)).get();
            plan = cm == null ? null : PlanConfigMap.read(cm);
            if (plan != null) {
                plans.put(job.getMetadata().getUid(), plan);
            }
        }
        return plan;
    }

    /** Where the plan's outputs go, bound once per pass for every step that reads them; null when not planned. */
    OutputLayout output() {
        if (output == null && plan() != null) {
            output = OutputLayout.of(plan.spec().output());
        }
        return output;
    }

    /** The plan this pass stored. */
    void planned(Plan stored) {
        plan = stored;
        output = null;
        plans.put(job.getMetadata().getUid(), stored);
    }

    /**
     * The child named {@code name}: from the informer cache, else from the API server; null
     * without a request when {@code recorded} is false (the status holds no sign of it). An object
     * of that name that this job does not control (an earlier job's of the same name) is not it.
     */
    <T extends HasMetadata> T child(Class<T> type, String name, boolean recorded) {
        for (T cached : cache.all(type)) {
            if (name.equals(cached.getMetadata().getName()) && namespace().equals(cached.getMetadata().getNamespace())
                    && ChildOwner.controls(job, cached)) {
                return cached;
            }
        }
        T found = recorded ? client.resources(type).inNamespace(namespace()).withName(name).get() : null;
        return found != null && ChildOwner.controls(job, found) ? found : null;
    }

    /** The pods of the worker Job {@code workers}, listed at most once in this pass. */
    WorkerPods workerPods(Job workers) {
        if (workerPods == null) {
            workerPods = WorkerPods.of(client, workers);
        }
        return workerPods;
    }

    /**
     * Creates {@code object} unless it exists; returns what is in the cluster either way. A
     * controlled child whose name is held by an object this job does not control is not adopted:
     * {@link ChildNameTakenException}, which {@link #childNameTaken} turns into waiting or failing.
     */
    <T extends HasMetadata> T createOrGet(T object) {
        try {
            return client.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            T existing = client.resource(object).get();
            if (existing == null || !ChildOwner.isControlledChild(object) || ChildOwner.controls(job, existing)) {
                return existing;
            }
            throw ChildOwner.taken(job, existing);
        }
    }

    /**
     * Waits, looking again every few seconds, while an earlier InferenceJob's child holds a name this
     * job needs (the garbage collector deletes it); fails the job when something else holds it, or
     * when the earlier child is still there {@link #EARLIER_CHILD_WAIT} after this job was created.
     */
    StepResult childNameTaken(ChildNameTakenException e) {
        Instant created = job.getMetadata().getCreationTimestamp() == null ? null : Instant.parse(job.getMetadata().getCreationTimestamp());
        boolean waited = created != null && Duration.between(created, Instant.now()).compareTo(EARLIER_CHILD_WAIT) > 0;
        if (e.earlierJob() && !waited) {
            LOG.info("{}", e.getMessage());
            status.set(s -> s.withMessage(e.getMessage()));
            return StepResult.after(EARLIER_CHILD_RETRY);
        }
        return fail(Reason.ChildNameTaken, e.earlierJob()
                ? e.getMessage().replace("waiting for the garbage collector to delete", "the garbage collector has not deleted")
                        + " in " + EARLIER_CHILD_WAIT.toSeconds() + " s: delete it and apply the InferenceJob again"
                : e.getMessage());
    }

    /**
     * Worker pods run in the job's namespace as the configured, token-less account; the chart
     * creates it in the namespaces it knows of, the operator in any other.
     */
    void ensureWorkerServiceAccount() {
        String name = config.workerServiceAccount();
        if (serviceAccounts.recentlySeen(namespace(), name)) {
            return;
        }
        if (client.serviceAccounts().inNamespace(namespace()).withName(name).get() == null) {
            createOrGet(new ServiceAccountBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace())
                    .addToLabels("app.kubernetes.io/name", "dataparallel").addToLabels("app.kubernetes.io/component", "worker")
                    // the chart's worker.serviceAccount.annotations (IRSA, workload identity), as on the accounts it creates
                    .withAnnotations(config.workerServiceAccountAnnotations().isEmpty() ? null : config.workerServiceAccountAnnotations())
                    .endMetadata()
                    .withAutomountServiceAccountToken(false)
                    .build());
        }
        serviceAccounts.seen(namespace(), name);
    }

    /** Ends the job as Failed with a Warning Event naming the problem; nothing retries it. */
    StepResult fail(Reason reason, String message) {
        boolean changed = status.get().phase() != Phase.Failed;
        status.set(s -> s.withPhase(Phase.Failed).withMessage(message).withEta(null)
                .withCompletionTime(s.completionTime() == null ? Timestamps.now() : s.completionTime()));
        status.condition(ConditionType.Failed, true, reason, message, generation());
        status.condition(ConditionType.Progressing, false, reason, message, generation());
        if (changed) {
            events.warningBeforeStatus(job, reason, message); // the status is written after the step
        }
        return StepResult.WAIT;
    }
}
