package io.dataparallel.e2e;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The e2e suite's one cluster (started on first use, stopped when the JVM ends) and what the
 * tests do with it: namespaces, data in S3, manifests applied with kubectl, waiting on status.
 */
final class E2e {
    static final Path REPO = Path.of(System.getProperty("e2e.repo", "..")).toAbsolutePath().normalize();
    static final Path STATE = Path.of(System.getProperty("e2e.state", "target/cluster")).toAbsolutePath();
    static final Path EXAMPLE_MODEL = REPO.resolve("examples/models/astro-redshift.pt");
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static Cluster cluster;
    private static ObjectStore store;

    private E2e() {
    }

    static synchronized Cluster cluster() {
        if (cluster == null) {
            try {
                ControlPlane.deleteTree(STATE);
                cluster = Cluster.up(new Cluster.Options(REPO, STATE, STATE.resolve("store"), 2, jobsOnRealNode(), true));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "e2e-cluster-down"));
        }
        return cluster;
    }

    /**
     * Pods run as containers on the real node wherever one can run here (root, podman); {@code -De2e.realNode=false}
     * keeps every pod on the process kubelet.
     */
    private static boolean jobsOnRealNode() {
        String noRealNode = Cluster.realNodeUnavailable();
        boolean wanted = !"false".equals(System.getProperty("e2e.realNode"));
        if (wanted && noRealNode != null) {
            System.err.println("e2e: pods run on the process kubelet: " + noRealNode);
        }
        return wanted && noRealNode == null;
    }

    static KubernetesClient admin() {
        return cluster().admin();
    }

    /** A new namespace (Pod Security restricted, the S3 Secret in it) for one test. */
    static String namespace(String prefix) {
        String ns = prefix + "-" + NAMESPACES.incrementAndGet();
        cluster().namespace(ns);
        return ns;
    }

    static synchronized ObjectStore store() {
        if (store == null) {
            S3Spec spec = new S3Spec(cluster().s3Endpoint().toString(), null, true, null);
            store = new ObjectStore(S3Clients.create(spec, Map.of(WorkerLaunch.ACCESS_KEY_ID, Cluster.ACCESS_KEY,
                    WorkerLaunch.SECRET_ACCESS_KEY, Cluster.SECRET_KEY)));
        }
        return store;
    }

    static void bucket(String name) {
        try {
            Files.createDirectories(STATE.resolve("store").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example model and {@code partitions} CAI-shaped partitions, under {@code s3://bucket/prefix/}. */
    static void exampleData(String bucket, String prefix, int partitions, int samples) {
        exampleData(bucket, prefix, partitions, samples, EXAMPLE_MODEL);
    }

    /** As {@link #exampleData(String, String, int, int)} with another model of the example's inputs (images, magnitudes). */
    static void exampleData(String bucket, String prefix, int partitions, int samples, Path model) {
        bucket(bucket);
        try {
            store().put(S3Uri.parse("model", "s3://" + bucket + "/" + prefix + "/model.pt"), Files.readAllBytes(model),
                    "application/octet-stream", Map.of(), false, "model");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CaiDataGenerator.upload(store(), S3Uri.parse("data", "s3://" + bucket + "/" + prefix + "/data/"), 2026, partitions, samples);
    }

    /** An InferenceJob manifest over {@link #exampleData}; {@code extra} lines are added under spec (indented two spaces). */
    static String manifest(String namespace, String name, String bucket, String prefix, int workers, String... extra) {
        StringBuilder b = new StringBuilder("""
                apiVersion: dataparallel.io/v1alpha1
                kind: InferenceJob
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  model:
                    uri: s3://%s/%s/model.pt
                    inputs: [images, magnitudes]
                    outputs: [redshift_pred]
                  data:
                    uri: s3://%s/%s/data/
                    labels: redshift
                  output:
                    uri: s3://%s/%s/out/%s/
                  batchSize: 256
                  workers: %d
                  s3: {endpoint: "%s", pathStyle: true, credentialsSecret: %s}
                """.formatted(name, namespace, bucket, prefix, bucket, prefix, bucket, prefix, name, workers,
                cluster().podS3Endpoint(), Cluster.CREDENTIALS_SECRET));
        for (String line : extra) {
            b.append("  ").append(line).append('\n');
        }
        return b.toString();
    }

    /** kubectl apply -f of this manifest, as a user does; fails the test on a non-zero exit. */
    static String apply(String manifest) {
        return kubectlOk(List.of("apply", "-f", write(manifest)));
    }

    static Tools.Result kubectl(List<String> args) {
        try {
            return cluster().tools().kubectl(cluster().kubeconfig(), args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String kubectlOk(List<String> args) {
        try {
            return kubectl(args).requireOk();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(String manifest) {
        try {
            Path f = Files.createTempFile(Files.createDirectories(STATE.resolve("manifests")), "ij", ".yaml");
            Files.writeString(f, manifest);
            return f.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InferenceJob get(String namespace, String name) {
        return admin().resources(InferenceJob.class).inNamespace(namespace).withName(name).get();
    }

    static Phase phase(InferenceJob job) {
        return job == null || job.getStatus() == null ? null : job.getStatus().phase();
    }

    /** Waits until the job satisfies {@code done}; fails with the job's last status and the operator's state. */
    static InferenceJob await(String namespace, String name, Duration timeout, String what, Predicate<InferenceJob> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        InferenceJob last = null;
        while (System.nanoTime() < deadline) {
            last = get(namespace, name);
            if (last != null && done.test(last)) {
                return last;
            }
            sleep(500);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + namespace + "/" + name + " to be "
                + what + "; its status: " + (last == null ? "(no such job)" : last.getStatus()) + "\npods: " + pods(namespace));
    }

    /** A job run to its end in a namespace of its own, over the example model and data. */
    record Ran(String namespace, InferenceJob job) {
        Phase phase() {
            return job.getStatus().phase();
        }
    }

    /** New namespace {@code prefix-N}, {@code partitions} example partitions, the job applied with kubectl and awaited. */
    static Ran run(String prefix, String name, int partitions, int samples, int workers, String... extra) {
        String ns = namespace(prefix);
        exampleData("e2e", ns, partitions, samples);
        apply(manifest(ns, name, "e2e", ns, workers, extra));
        return new Ran(ns, awaitFinal(ns, name, Duration.ofMinutes(5)));
    }

    static InferenceJob awaitPhase(String namespace, String name, Phase phase, Duration timeout) {
        return await(namespace, name, timeout, phase.name(), j -> phase(j) == phase);
    }

    static InferenceJob awaitFinal(String namespace, String name, Duration timeout) {
        return await(namespace, name, timeout, "finished", j -> phase(j) != null && phase(j).isFinal());
    }

    static String pods(String namespace) {
        List<String> out = new ArrayList<>();
        for (var p : admin().pods().inNamespace(namespace).list().getItems()) {
            out.add(p.getMetadata().getName() + " " + (p.getStatus() == null ? "" : p.getStatus().getPhase())
                    + " node=" + p.getSpec().getNodeName());
        }
        return String.join(", ", out);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The messages of the Warning Events in a namespace (the operator's on its InferenceJobs among them). */
    static List<String> warningEvents(String namespace) {
        return admin().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType())).map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    /** How many worker Jobs the namespace has: after any fault, one per InferenceJob. */
    static int workerJobs(String namespace) {
        return admin().batch().v1().jobs().inNamespace(namespace).withLabel("dataparallel.io/role", "worker").list().getItems().size();
    }

    /**
     * Every partition of the job's data ({@link #exampleData}: {@code s3://e2e/NS/data/}) has exactly one
     * prediction object and nothing else is under {@code predictions/}; returns that folder.
     */
    static Path assertOnePredictionPerPartition(String namespace, String job) throws IOException {
        Path root = STATE.resolve("store").resolve("e2e").resolve(namespace);
        Path predictions = root.resolve("out").resolve(job).resolve("predictions");
        List<String> partitions;
        List<String> written;
        try (var data = Files.list(root.resolve("data")); var out = Files.list(predictions)) {
            partitions = data.map(p -> p.getFileName().toString()).sorted().toList();
            written = out.map(p -> p.getFileName().toString()).sorted().toList();
        }
        org.junit.jupiter.api.Assertions.assertEquals(partitions, written, "one prediction per planned partition, no other");
        return predictions;
    }
}
