package io.dataparallel.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.operator.DataparallelOperator;
import io.dataparallel.operator.harness.MockCluster;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.harness.ReconcilePasses;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Section 5, operator scale: with many InferenceJobs created at once, how long until each
 * gets its worker Job, and how much heap the operator holds with 1,000 of them. Runs the
 * real operator against the Fabric8 mock API server of the operator tests; the fake Job
 * controller holds every pod, so no worker runs and every job stays Running.
 */
public final class OperatorScaleBench {
    static final int SECTION = 6;
    /**
     * The chart's default polling interval (values.yaml). The test fixture's config polls every
     * second; with 1,000 running jobs that is 1,000 progress reads a second, which says more
     * about the test setting than about the operator.
     */
    static final int POLL_SECONDS = 10;
    /** Bursts of InferenceJobs timed one after the other; the figures are their medians. */
    static final int BURSTS = 3;
    private static final long WAIT_NANOS = 300_000_000_000L; // 5 minutes

    private OperatorScaleBench() {
    }

    public static void run(Results results, boolean smoke, Path workDir) throws Exception {
        int burst = smoke ? 20 : 200;
        int total = smoke ? 100 : 1_000;
        Files.createDirectories(workDir);
        Path dir = Files.createTempDirectory(workDir, "operator-scale-");
        // one INFO line per phase change and job would bury the figures
        Logger operatorLog = (Logger) LoggerFactory.getLogger("io.dataparallel");
        Level level = operatorLog.getLevel();
        operatorLog.setLevel(Boolean.getBoolean("bench.verbose") ? Level.INFO : Level.WARN);
        // the mock API server logs every request through java.util.logging: thousands of lines, and slower
        java.util.logging.Logger mockLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        java.util.logging.Level mockLevel = mockLog.getLevel();
        mockLog.setLevel(java.util.logging.Level.WARNING);
        OperatorFixture f = new OperatorFixture(dir);
        Map<String, Long> created = new ConcurrentHashMap<>();   // CR name -> nanoTime just before create
        Map<String, Long> jobSeen = new ConcurrentHashMap<>();   // CR name -> nanoTime its worker Job was first seen
        Map<String, String> uids = new ConcurrentHashMap<>();
        Watch watch = watchWorkerJobs(f.client(), OperatorFixture.NAMESPACE, jobSeen);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        DataparallelOperator operator = null;
        var operatorClient = f.cluster.newClient(); // as in f.startOperator(): a client of its own
        try {
            f.jobs.hold(); // pods wait forever: Jobs never complete, workers never run
            double baseline = usedHeapAfterGc();
            // as f.startOperator(), but at the chart's polling interval (see POLL_SECONDS)
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ReconcilePasses passesPerJob = new ReconcilePasses();
            operator = new DataparallelOperator(operatorClient, f.config.withPollIntervalSeconds(POLL_SECONDS),
                    registry, new DataparallelOperator.Options(false, null, false, passesPerJob));
            operator.start();

            // one job alone first: the first reconcile loads the S3 SDK, Jackson models and so on (seconds, once
            // per operator process), which would otherwise be charged to the burst
            long start = System.nanoTime();
            create(f, clients, 0, 1, created, uids);
            awaitAll(jobSeen, names(0, 1), start + WAIT_NANOS);
            double cold = jobSeen.containsKey("scale-0000") ? (jobSeen.get("scale-0000") - created.get("scale-0000")) / 1e6 : Double.NaN;

            // one job alone on the warm operator: its latency with nothing queued in front of it
            long soloStart = System.nanoTime();
            create(f, clients, 1, 2, created, uids);
            awaitAll(jobSeen, names(1, 2), soloStart + WAIT_NANOS);
            double solo = jobSeen.containsKey("scale-0001") ? (jobSeen.get("scale-0001") - created.get("scale-0001")) / 1e6 : Double.NaN;

            // latency: `burst` InferenceJobs at once, each timed from just before its create request; BURSTS times, one
            // after the other (later bursts find more objects in the mock API server, which makes it slower)
            double[] p50s = new double[BURSTS];
            double[] p99s = new double[BURSTS];
            int next = 2;
            for (int b = 0; b < BURSTS; b++) {
                long burstStart = System.nanoTime();
                MockCluster.Load before = f.cluster.load();
                Map<String, Long> kindsBefore = f.cluster.requestKinds();
                create(f, clients, next, next + burst, created, uids);
                List<String> first = names(next, next + burst);
                next += burst;
                awaitAll(jobSeen, first, burstStart + WAIT_NANOS);
                MockCluster.Load burstLoad = f.cluster.load().minus(before);
                StringBuilder kinds = new StringBuilder();
                f.cluster.requestKinds().forEach((kind, n) -> {
                    long d = n - kindsBefore.getOrDefault(kind, 0L);
                    if (d > 0) {
                        kinds.append(kinds.length() == 0 ? "" : ", ").append(kind).append(" ").append(d);
                    }
                });
                double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
                double[] latencies = first.stream().filter(jobSeen::containsKey)
                        .mapToDouble(n -> (jobSeen.get(n) - created.get(n)) / 1e6).sorted().toArray();
                int missing = burst - latencies.length;
                double p50 = percentile(latencies, 0.50);
                double p99 = missing > 0 ? Double.POSITIVE_INFINITY : percentile(latencies, 0.99);
                p50s[b] = p50;
                p99s[b] = p99;
                // JOSDK's timer of reconcile passes: how much of the latency is spent inside passes rather than queued
                Timer passTimer = registry.find("operator.sdk.controllers.execution.reconcile").timer();
                String passTimes = passTimer == null ? "" : String.format(Locale.ROOT, "; the %d reconcile passes finished by then took %.0f ms on"
                        + " average (max %.0f ms), so the time goes inside passes (API server and S3 calls, CPU), not in JOSDK's queue", passTimer.count(),
                        passTimer.mean(TimeUnit.MILLISECONDS), passTimer.max(TimeUnit.MILLISECONDS));
                results.note(String.format(Locale.ROOT, "operator latency, burst %d of %d: %d InferenceJobs created from 4 client threads in %.0f ms;"
                        + " per job, from just before its create request to the watch event of its worker Job: min %.0f, p50 %.0f,"
                        + " p99 %.0f, max %.0f ms%s; measured after one warm-up job, whose latency on the freshly started operator"
                        + " was %.0f ms, and one job alone on the warm operator, %.0f ms%s; the mock API server, S3Proxy and the fake Job controller share the JVM and the %d cores",
                        b + 1, BURSTS, burst, (first.stream().mapToLong(created::get).max().orElse(burstStart) - burstStart) / 1e6,
                        latencies.length == 0 ? Double.NaN : latencies[0], p50, p99,
                        latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1],
                        missing > 0 ? "; " + missing + " jobs got no worker Job within 5 minutes" : "", cold, solo, passTimes,
                        Runtime.getRuntime().availableProcessors()));
                results.note(String.format(Locale.ROOT, "operator latency, burst %d, where the time goes: from the first create until the last"
                        + " worker Job (%.1f s) the mock API server answered %d requests (%.1f per job, creates, watches and the test's"
                        + " own reads included), one at a time on its event-loop thread, and was busy answering for %.1f s (%.0f%%):"
                        + " %.1f ms a request on average, because its CRUD store matches every request against every stored object;"
                        + " under the burst each of a job's requests waits behind the whole queue. Requests by kind: %s",
                        b + 1, burstSeconds, burstLoad.requests(), (double) burstLoad.requests() / burst, burstLoad.busyNanos() / 1e9,
                        100 * burstLoad.busyNanos() / 1e9 / burstSeconds, burstLoad.busyNanos() / 1e6 / Math.max(1, burstLoad.requests()), kinds));
            }
            results.add(new Figure(SECTION, String.format(Locale.ROOT, "operator: CR created -> worker Job created, p50 (%d jobs at once,"
                    + " %d bursts)", burst, BURSTS), "ms", Figure.median(p50s), p50s, Double.NaN, "", "", null));
            results.add(new Figure(SECTION, String.format(Locale.ROOT, "operator: CR created -> worker Job created, p99 (%d jobs at once,"
                    + " %d bursts)", burst, BURSTS), "ms", Figure.median(p99s), p99s, Double.NaN, "", "p99 <= 1000 ms",
                    Figure.median(p99s) <= 1000));

            // heap: fill up to `total` jobs, all Running with their worker Job
            long fill = System.nanoTime();
            create(f, clients, next, total, created, uids);
            List<String> all = names(0, total);
            awaitAll(jobSeen, all, fill + WAIT_NANOS);
            long withJob = all.stream().filter(jobSeen::containsKey).count();
            double used = usedHeapAfterGc();
            double heapMb = (used - baseline) / (1 << 20);
            results.add(new Figure(SECTION, String.format(Locale.ROOT, "operator: heap with %d InferenceJobs", total), "MB",
                    heapMb, new double[] {heapMb}, Double.NaN, "", "<= 256 MB", heapMb <= 256 && withJob == total));
            results.note(String.format(Locale.ROOT, "operator heap: %d InferenceJobs, %d with their worker Job (each job has a plan"
                    + " ConfigMap and a 2-index worker Job); used heap after GC %.0f MB, baseline before the operator started %.0f MB,"
                    + " difference %.0f MB (MB = 2^20 bytes). This JVM also holds the mock API server (which stores every CR, Job,"
                    + " ConfigMap and Event), S3Proxy and the fake Job controller, so the difference is an upper bound for the"
                    + " operator alone. Polling interval %d s (the chart's default)", total, withJob, used / (1 << 20),
                    baseline / (1 << 20), heapMb, POLL_SECONDS));
            int[] passes = all.stream().filter(uids::containsKey).mapToInt(n -> passesPerJob.of(uids.get(n))).toArray();
            results.note(String.format(Locale.ROOT, "operator reconcile passes per job: mean %.2f (min %d, max %d) over %d jobs,"
                    + " %.0f s after the first was created; a running job is looked at again every %d s to read progress",
                    Arrays.stream(passes).average().orElse(Double.NaN), Arrays.stream(passes).min().orElse(0),
                    Arrays.stream(passes).max().orElse(0), passes.length, (System.nanoTime() - start) / 1e9, POLL_SECONDS));
        } finally {
            // reconciles still in flight when the operator stops fail on the closed client: expected, not news
            Logger sdkLog = (Logger) LoggerFactory.getLogger("io.javaoperatorsdk");
            Level sdkLevel = sdkLog.getLevel();
            sdkLog.setLevel(Level.OFF);
            operatorLog.setLevel(Level.ERROR);
            if (operator != null) {
                operator.close();
            }
            Thread.sleep(1000);
            operatorClient.close();
            // delete the worker Jobs before f.close(): closing the fake controller opens its gate, and a held pod
            // whose Job still exists would then run a real worker
            List<Future<?>> deletes = new ArrayList<>();
            for (Job j : f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).list().getItems()) {
                deletes.add(clients.submit(() -> f.client().resource(j).delete()));
            }
            for (Future<?> d : deletes) {
                d.get();
            }
            Thread.sleep(500); // let the fake controller's watch see the deletions
            clients.shutdownNow();
            watch.close();
            f.close();
            PlannerBench.deleteTree(dir);
            operatorLog.setLevel(level);
            sdkLog.setLevel(sdkLevel);
            mockLog.setLevel(mockLevel);
        }
    }

    /** Creates the InferenceJobs {@code from..to-1} from the client threads, as fast as they go. */
    private static void create(OperatorFixture f, ExecutorService clients, int from, int to, Map<String, Long> created,
                               Map<String, String> uids) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (String name : names(from, to)) {
            done.add(clients.submit(() -> {
                created.put(name, System.nanoTime());
                InferenceJob job = f.apply(name, f.spec("s3://out/" + name + "/", 2));
                uids.put(name, job.getMetadata().getUid());
            }));
        }
        for (Future<?> d : done) {
            d.get();
        }
    }

    /** Records in {@code seen} when each InferenceJob's worker Job ({@code <name>-workers}) is first seen. */
    static Watch watchWorkerJobs(KubernetesClient client, String namespace, Map<String, Long> seen) {
        return client.batch().v1().jobs().inNamespace(namespace).watch(new Watcher<Job>() {
            @Override
            public void eventReceived(Action action, Job job) {
                String name = job.getMetadata().getName();
                if (action != Action.DELETED && name.endsWith("-workers")) {
                    seen.putIfAbsent(name.substring(0, name.length() - "-workers".length()), System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    static List<String> names(int from, int to) {
        List<String> names = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            names.add(String.format(Locale.ROOT, "scale-%04d", i));
        }
        return names;
    }

    static void awaitAll(Map<String, Long> seen, List<String> names, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline && !names.stream().allMatch(seen::containsKey)) {
            Thread.sleep(20);
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Used heap after a few full collections (the JVM may ignore a single System.gc()). */
    static double usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** {@code OperatorScaleBench [smoke]}: prints the figures, writes no results file. */
    public static void main(String[] args) throws Exception {
        boolean smoke = args.length > 0 && "smoke".equals(args[0]);
        Path dir = Files.createTempDirectory("operator-scale-bench-");
        try {
            run(new Results(), smoke, dir);
        } finally {
            PlannerBench.deleteTree(dir);
        }
        System.exit(0); // the mock server's and JOSDK's threads may linger
    }
}
