package io.dataparallel.operator.reconciler;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.events.EventRecorder;
import io.dataparallel.operator.events.Reason;
import io.dataparallel.operator.resources.Children;
import io.dataparallel.operator.resources.PlanConfigMap;
import io.dataparallel.operator.s3.StoreAccess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * One reconcile pass over one InferenceJob: the resource, the status being worked out and
 * what the steps need. Child objects are read from the API server, not a cache, so a pass
 * right after a create never creates twice.
 */
final class JobRun {
    final InferenceJob job;
    final StatusDraft status;
    final KubernetesClient client;
    final OperatorConfig config;
    final EventRecorder events;
    final StoreAccess stores;
    final ProgressTracker progress;
    private Plan plan;

    JobRun(InferenceJob job, StatusDraft status, KubernetesClient client, OperatorConfig config, EventRecorder events,
           StoreAccess stores, ProgressTracker progress) {
        this.job = job;
        this.status = status;
        this.client = client;
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
            ConfigMap cm = client.configMaps().inNamespace(namespace()).withName(Children.planConfigMap(job)).get();
            plan = cm == null ? null : PlanConfigMap.read(cm);
        }
        return plan;
    }

    /** Creates {@code object} unless it exists; returns what is in the cluster either way. */
    <T extends HasMetadata> T createOrGet(T object) {
        try {
            return client.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return client.resource(object).get();
        }
    }

    /**
     * Worker pods run in the job's namespace as the configured, token-less account; the chart
     * creates it in the namespaces it knows of, the operator in any other.
     */
    void ensureWorkerServiceAccount() {
        String name = config.workerServiceAccount();
        if (client.serviceAccounts().inNamespace(namespace()).withName(name).get() == null) {
            createOrGet(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace())
                    .addToLabels("app.kubernetes.io/name", "dataparallel").addToLabels("app.kubernetes.io/component", "worker")
                    .endMetadata()
                    .withAutomountServiceAccountToken(false)
                    .build());
        }
    }

    /** Ends the job as Failed with a Warning Event naming the problem; nothing retries it. */
    StepResult fail(Reason reason, String message) {
        boolean changed = status.phase != Phase.Failed;
        status.phase = Phase.Failed;
        status.message = message;
        status.eta = null;
        if (status.completionTime == null) {
            status.completionTime = StatusDraft.now();
        }
        status.condition(StatusDraft.FAILED, true, reason.name(), message, generation());
        status.condition(StatusDraft.PROGRESSING, false, reason.name(), message, generation());
        if (changed) {
            events.warning(job, reason, message);
        }
        return StepResult.WAIT;
    }
}
