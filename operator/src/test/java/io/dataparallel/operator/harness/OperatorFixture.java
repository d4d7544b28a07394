package io.dataparallel.operator.harness;

import static org.junit.jupiter.api.Assertions.fail;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.testing.S3Fixture;
import io.dataparallel.operator.DataparallelOperator;
import io.dataparallel.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Everything an operator test needs: the mock API server, S3 (S3Proxy) with the example
 * model and CAI-shaped partitions, the credentials Secret, the fake Job controller running
 * real workers, and operators that can be started and stopped.
 */
public final class OperatorFixture implements AutoCloseable {
    public static final String NAMESPACE = "astro";
    public static final String SECRET = "s3-creds";
    public static final int PARTITIONS = 6;
    public static final int SAMPLES = 12;

    public final MockCluster cluster;
    public final S3Fixture s3;
    public final FakeJobController jobs;
    public final OperatorConfig config;
    /** Reconcile passes of every operator this fixture starts. */
    public final ReconcilePasses passes = new ReconcilePasses();
    private DataparallelOperator operator;

    public OperatorFixture(Path tmp) throws Exception {
        this(tmp, OperatorConfig.defaults().withPollIntervalSeconds(1));
    }

    /** A fixture whose operator runs with {@code config} (node pools with prices, for instance). */
    public OperatorFixture(Path tmp, OperatorConfig config) throws Exception {
        cluster = new MockCluster();
        s3 = new S3Fixture(tmp.resolve("store"));
        seed(cluster, s3);
        jobs = new FakeJobController(cluster.newClient(), Files.createDirectories(tmp.resolve("pods"))).start();
        this.config = config;
    }

    /**
     * The example's world without an operator or Job controller: buckets with the example model and
     * CAI-shaped partitions in {@code s3}, the namespace and the credentials Secret in {@code cluster}.
     */
    public static void seed(MockCluster cluster, S3Fixture s3) {
        s3.createBucket("models");
        s3.createBucket("data");
        s3.createBucket("out");
        s3.put(S3Fixture.EXAMPLE_MODEL, S3Fixture.repoRoot().resolve("examples/models/astro-redshift.pt"));
        CaiDataGenerator.upload(s3.store(), new S3Uri("data", "cai/"), 7, PARTITIONS, SAMPLES);
        cluster.createNamespace(NAMESPACE);
        cluster.client().secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(SECRET).build())
                .addToStringData(WorkerLaunch.ACCESS_KEY_ID, S3Fixture.ACCESS_KEY)
                .addToStringData(WorkerLaunch.SECRET_ACCESS_KEY, S3Fixture.SECRET_KEY).build()).create();
    }

    /** The example job's spec on {@code s3}: the CAI-shaped model over the partitions, with labels. */
    public static InferenceJobSpec exampleSpec(S3Fixture s3, String output, Integer workers) {
        return InferenceJobSpec.of(new ModelSpec(S3Fixture.EXAMPLE_MODEL, S3Fixture.EXAMPLE_INPUTS,
                S3Fixture.EXAMPLE_OUTPUTS), new DataSpec("s3://data/cai/", null, "redshift"), new OutputSpec(output))
                .withBatchSize(8).withWorkers(workers).withS3(new S3Spec(s3.spec().endpoint(), "us-east-1", true, SECRET)).withRetries(1);
    }

    public KubernetesClient client() {
        return cluster.client();
    }

    public DataparallelOperator startOperator() {
        return startOperator(new SimpleMeterRegistry(), null);
    }

    /** An operator with this registry, taking a Lease in {@code leaseNamespace} when not null. */
    public DataparallelOperator startOperator(MeterRegistry registry, String leaseNamespace) {
        operator = new DataparallelOperator(cluster.newClient(), config, registry,
                new DataparallelOperator.Options(false, leaseNamespace, false, passes));
        operator.start();
        return operator;
    }

    public void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    public DataparallelOperator operator() {
        return operator;
    }

    /** The example job: the CAI-shaped model over the partitions, with labels. */
    public InferenceJobSpec spec(String output, Integer workers) {
        return exampleSpec(s3, output, workers);
    }

    public InferenceJob apply(String name, InferenceJobSpec spec) {
        InferenceJob job = new InferenceJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        job.setSpec(spec);
        return client().resource(job).create();
    }

    public InferenceJob get(String name) {
        return client().resources(InferenceJob.class).inNamespace(NAMESPACE).withName(name).get();
    }

    public InferenceJob awaitPhase(String name, Phase phase) {
        return await(name, j -> j.getStatus() != null && j.getStatus().phase() == phase, "phase " + phase);
    }

    public InferenceJob await(String name, Predicate<InferenceJob> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        InferenceJob job = null;
        while (System.nanoTime() < deadline) {
            job = get(name);
            if (job != null && condition.test(job)) {
                return job;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail(name + " did not reach " + what + "; status: " + (job == null ? "no job" : job.getStatus()));
        return null;
    }

    /** Events are sent asynchronously: wait (10 s at most) for the events on {@code name} that {@code which} wants. */
    public List<Event> awaitEvents(String name, Predicate<List<Event>> which,
                                                                    String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Event> events = List.of();
        while (System.nanoTime() < deadline) {
            events = client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                    .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
            if (which.test(events)) {
                return events;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("no " + what + " among the events on " + name + ": "
                + events.stream().map(e -> e.getReason() + ": " + e.getMessage()).toList());
        return events;
    }

    @Override
    public void close() {
        stopOperator();
        jobs.close();
        s3.close();
        cluster.close();
    }
}
