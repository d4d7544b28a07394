package io.dataparallel.bench;

import io.dataparallel.e2e.JvmHeap;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import io.dataparallel.e2e.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Section 6 again, on the real control plane of e2e/: the chart's operator, as its Deployment
 * under its RBAC, against upstream kube-apiserver and etcd. Jobs are created suspended, so the
 * operator plans them and creates their worker Jobs but no pod runs: the figure is the operator
 * and the API server, not the workers. Latency is from just before a create request to the
 * watch event of the job's worker Job; heap is the operator process's own (jcmd after a full GC),
 * at the chart's default polling interval.
 */
public final class ClusterOperatorScaleBench {
    static final int POLL_SECONDS = 10;
    private static final long WAIT_NANOS = TimeUnit.MINUTES.toNanos(10);

    private ClusterOperatorScaleBench() {
    }

    public static void run(Results results, boolean smoke, Path workDir) throws Exception {
        int burst = smoke ? 20 : 200;
        int bursts = smoke ? 1 : 3;
        int total = smoke ? 40 : 1_000;
        Path repo = Path.of("").toAbsolutePath();
        Path state = Files.createDirectories(workDir).resolve("cluster");
        try (Cluster cluster = Cluster.up(new Cluster.Options(repo, state, state.resolve("store"), POLL_SECONDS))) {
            KubernetesClient client = cluster.admin();
            String ns = "scale";
            cluster.namespace(ns);
            Files.createDirectories(state.resolve("store/scale"));
            try (ObjectStore store = new ObjectStore(S3Clients.create(new S3Spec(cluster.s3Endpoint().toString(), null, true, null),
                    Map.of(WorkerLaunch.ACCESS_KEY_ID, Cluster.ACCESS_KEY, WorkerLaunch.SECRET_ACCESS_KEY, Cluster.SECRET_KEY)))) {
                store.put(S3Uri.parse("m", "s3://scale/model.pt"), Files.readAllBytes(repo.resolve("examples/models/astro-redshift.pt")),
                        "application/octet-stream", Map.of(), false, "m");
                CaiDataGenerator.upload(store, S3Uri.parse("d", "s3://scale/data/"), 1, 2, 8);
            }
            Map<String, Long> created = new ConcurrentHashMap<>();
            Map<String, Long> seen = new ConcurrentHashMap<>();
            Watch watch = OperatorScaleBench.watchWorkerJobs(client, ns, seen);
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                double baseline = JvmHeap.usedAfterGcMb(cluster.operatorPid());
                int next = 0;
                next = create(client, clients, cluster, ns, next, next + 1, created); // warm-up: first S3 client, Jackson models
                OperatorScaleBench.awaitAll(seen, OperatorScaleBench.names(0, 1), System.nanoTime() + WAIT_NANOS);
                double[] p50s = new double[bursts];
                double[] p99s = new double[bursts];
                for (int b = 0; b < bursts; b++) {
                    long start = System.nanoTime();
                    int from = next;
                    next = create(client, clients, cluster, ns, next, next + burst, created);
                    List<String> these = OperatorScaleBench.names(from, next);
                    OperatorScaleBench.awaitAll(seen, these, System.nanoTime() + WAIT_NANOS);
                    double[] ms = these.stream().filter(seen::containsKey)
                            .mapToDouble(n -> (seen.get(n) - created.get(n)) / 1e6).sorted().toArray();
                    p50s[b] = OperatorScaleBench.percentile(ms, 0.50);
                    p99s[b] = ms.length < these.size() ? Double.POSITIVE_INFINITY : OperatorScaleBench.percentile(ms, 0.99);
                    results.note(String.format(Locale.ROOT, "operator on the real API server, burst %d of %d: %d InferenceJobs created"
                            + " from 4 client threads; from just before each create to the watch event of its worker Job: min %.0f,"
                            + " p50 %.0f, p99 %.0f, max %.0f ms; all worker Jobs there %.1f s after the first create. Upstream"
                            + " kube-apiserver 1.37 with etcd, the operator as the chart's Deployment (its own JVM), S3Proxy and the"
                            + " harness share the %d cores", b + 1, bursts, these.size(), ms.length == 0 ? Double.NaN : ms[0],
                            p50s[b], p99s[b], ms.length == 0 ? Double.NaN : ms[ms.length - 1], (System.nanoTime() - start) / 1e9,
                            Runtime.getRuntime().availableProcessors()));
                }
                results.add(new Figure(OperatorScaleBench.SECTION, String.format(Locale.ROOT, "operator on the real API server:"
                        + " CR created -> worker Job created, p50 (%d jobs at once, %d bursts)", burst, bursts), "ms",
                        Figure.median(p50s), p50s, Double.NaN, "", "", null));
                results.add(new Figure(OperatorScaleBench.SECTION, String.format(Locale.ROOT, "operator on the real API server:"
                        + " CR created -> worker Job created, p99 (%d jobs at once, %d bursts)", burst, bursts), "ms",
                        Figure.median(p99s), p99s, Double.NaN, "", "p99 <= 1000 ms", Figure.median(p99s) <= 1000));
                next = create(client, clients, cluster, ns, next, total, created);
                OperatorScaleBench.awaitAll(seen, OperatorScaleBench.names(0, total), System.nanoTime() + WAIT_NANOS);
                long withJob = OperatorScaleBench.names(0, total).stream().filter(seen::containsKey).count();
                double used = JvmHeap.usedAfterGcMb(cluster.operatorPid());
                results.add(new Figure(OperatorScaleBench.SECTION, String.format(Locale.ROOT,
                        "operator on the real API server: heap with %d InferenceJobs", total), "MB", used, new double[] {used},
                        Double.NaN, "", "<= 256 MB", used <= 256 && withJob == total));
                results.note(String.format(Locale.ROOT, "operator heap on the real API server: %d InferenceJobs, %d with their"
                        + " worker Job; the operator process's used heap after a full GC (jcmd GC.heap_info) %.0f MB, %.0f MB before"
                        + " the first job (MB = 2^20 bytes); polling every %d s (the chart's default)", total, withJob, used,
                        baseline, POLL_SECONDS));
            } finally {
                clients.shutdownNow();
                watch.close();
            }
        } finally {
            PlannerBench.deleteTree(state);
        }
    }

    private static int create(KubernetesClient client, ExecutorService clients, Cluster cluster, String ns, int from, int to,
                              Map<String, Long> created) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (String name : OperatorScaleBench.names(from, to)) {
            String yaml = """
                    apiVersion: dataparallel.io/v1alpha1
                    kind: InferenceJob
                    metadata: {name: %s, namespace: %s}
                    spec:
                      model: {uri: "s3://scale/model.pt", inputs: [images, magnitudes]}
                      data: {uri: "s3://scale/data/"}
                      output: {uri: "s3://scale/out/%s/"}
                      workers: 2
                      suspend: true
                      s3: {endpoint: "%s", pathStyle: true, credentialsSecret: %s}
                    """.formatted(name, ns, name, cluster.s3Endpoint(), Cluster.CREDENTIALS_SECRET);
            InferenceJob job = Serialization.unmarshal(yaml, InferenceJob.class);
            done.add(clients.submit(() -> {
                created.put(name, System.nanoTime());
                client.resource(job).create();
            }));
        }
        for (Future<?> d : done) {
            d.get();
        }
        return Math.max(from, to);
    }
}
