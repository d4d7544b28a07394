package io.dataparallel.operator.reconciler;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.core.testing.S3Fixture;
import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.events.EventRecorder;
import io.dataparallel.operator.harness.MockCluster;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.s3.SecretStoreAccess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A step tested alone: the mock API server and S3 with the example's model and partitions, and
 * {@link JobRun}s over them with no informer cache, no operator and no Job controller, so a test
 * sets the children's states itself and reads what one step did.
 */
final class StepHarness implements AutoCloseable {
    final MockCluster cluster = new MockCluster();
    final S3Fixture s3;
    final OperatorConfig config = OperatorConfig.defaults().withPollIntervalSeconds(1);
    private final EventRecorder events;
    private final SecretStoreAccess stores;
    private final ProgressTracker progress = new ProgressTracker();
    private final ServiceAccounts serviceAccounts = new ServiceAccounts();
    private final PlanCache plans = new PlanCache();

    StepHarness(Path tmp) {
        s3 = new S3Fixture(tmp.resolve("store"));
        OperatorFixture.seed(cluster, s3);
        events = new EventRecorder(cluster.client());
        stores = new SecretStoreAccess(cluster.client());
    }

    KubernetesClient client() {
        return cluster.client();
    }

    InferenceJobSpec spec(String output, Integer workers) {
        return OperatorFixture.exampleSpec(s3, output, workers);
    }

    /** Creates the InferenceJob in the API server (it gets its uid and generation there). */
    InferenceJob create(String name, InferenceJobSpec spec) {
        InferenceJob job = new InferenceJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(OperatorFixture.NAMESPACE).withGeneration(1L).build());
        job.setSpec(spec);
        return client().resource(job).create();
    }

    /** A pass over {@code job} starting from {@code status}. */
    JobRun run(InferenceJob job, InferenceJobStatus status) {
        return new JobRun(job, StatusDraft.of(status), client(), JobRun.ChildCache.NONE, config, events, stores, progress,
                serviceAccounts, plans);
    }

    /** A pass over {@code job} as its status stands. */
    JobRun run(InferenceJob job) {
        return run(job, job.getStatus());
    }

    static Optional<Condition> condition(JobRun run, ConditionType type) {
        List<Condition> conditions = run.status.get().conditions();
        return conditions == null ? Optional.empty() : conditions.stream().filter(c -> type.name().equals(c.getType())).findFirst();
    }

    /** Events on {@code job} with {@code reason}, once the recorder has sent what it queued. */
    List<Event> events(String job, String reason) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<Event> found = client().v1().events().inNamespace(OperatorFixture.NAMESPACE).list().getItems().stream()
                    .filter(e -> job.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
            if (!found.isEmpty()) {
                return found;
            }
            Thread.sleep(50);
        }
        return List.of();
    }

    @Override
    public void close() {
        events.close();
        stores.close();
        s3.close();
        cluster.close();
    }
}
