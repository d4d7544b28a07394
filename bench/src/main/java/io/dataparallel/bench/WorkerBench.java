package io.dataparallel.bench;

import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.s3.EmbeddedS3;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import io.dataparallel.api.spec.S3Spec;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmarks 1 to 4: our worker against a CAI-style Python worker (end to end), its
 * compute-only rate against a raw DJL forward loop and PyTorch's own forward, I/O overlap
 * with S3 throttled so download time is about compute time, and CAI's batch and data sweeps.
 * Everything runs against one S3Proxy on loopback with the same partitions and threads.
 */
public final class WorkerBench {
    static final int THREADS = 2;
    static final String PY = "/usr/bin/python3";

    private WorkerBench() {
    }

    public static void run(Results results, boolean smoke, Path work, Path repo) throws Exception {
        int partitions = smoke ? 2 : 4;
        int samples = smoke ? 256 : 5113; // CAI's 100MB partitions hold 5,113 samples
        int repeats = smoke ? 1 : 3;
        boolean python = pythonAvailable();
        if (!python) {
            results.note("Python references skipped: /usr/bin/python3 with torch and boto3 not found (bench/run.sh installs them)");
        }
        try (EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("store"), "bench", "bench-secret");
             ObjectStore store = new ObjectStore(S3Clients.create(new S3Spec(s3.endpoint().toString(), null, true, null),
                     Map.of("AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench-secret")))) {
            store.client().createBucket(b -> b.bucket("bench"));
            Map<String, String> creds = Map.of("AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench-secret");
            WorkerRuns runs = new WorkerRuns(store, creds, work);
            CaiDataGenerator.upload(store, new S3Uri("bench", "data/"), 2026, partitions, samples);
            Path partition = work.resolve("partition-0.npz");
            WorkerRuns.writeFile(partition, CaiDataGenerator.partition(2026, 0, samples));
            List<String[]> models = new ArrayList<>();
            models.add(new String[] {"CAI-shaped CNN", repo.resolve("examples/models/astro-redshift.pt").toString()});
            if (!smoke) {
                models.add(new String[] {"ResNet-like", repo.resolve("bench/models/astro-resnet.pt").toString()});
            }
            String endpoint = s3.endpoint().toString();
            for (String[] m : models) {
                String key = "models/" + Path.of(m[1]).getFileName();
                store.put(new S3Uri("bench", key), Files.readAllBytes(Path.of(m[1])), "application/octet-stream", Map.of(), false, "bench");
                compare(results, runs, m[0], m[1], "s3://bench/" + key, endpoint, partition, partitions, samples, repeats, python);
            }
            sweeps(results, runs, "s3://bench/models/astro-redshift.pt", endpoint, partitions, work);
        }
    }

    private static void compare(Results results, WorkerRuns runs, String name, String modelFile, String modelUri, String endpoint,
                                Path partition, int partitions, int samples, int repeats, boolean python) throws Exception {
        double[] ours = new double[repeats];
        double[] theirs = new double[repeats];
        double[] compute = new double[repeats];
        double[] raw = new double[repeats];
        double[] pyForward = new double[repeats];
        WorkerRuns.Run last = null;
        for (int r = 0; r < repeats; r++) {
            last = runs.worker(endpoint, modelUri, "s3://bench/data/", 512, THREADS, true, null);
            ours[r] = last.endToEndSamplesPerSecond();
            compute[r] = last.steadyComputeSamplesPerSecond();
            raw[r] = WorkerRuns.number(WorkerRuns.lastJson(WorkerRuns.run(WorkerRuns.java("io.dataparallel.bench.RawForward",
                    modelFile, partition.toString(), "512", Integer.toString(THREADS), "3"), Map.of())), "samples_per_second");
            if (python) {
                theirs[r] = caiStyle(runs, endpoint, modelUri, partitions, samples);
                pyForward[r] = WorkerRuns.number(WorkerRuns.lastJson(WorkerRuns.run(List.of(PY, "bench/python/forward.py", modelFile,
                        partition.toString(), "512", Integer.toString(THREADS), "3"), Map.of())), "samples_per_second");
            }
        }
        double oursMedian = Figure.median(ours);
        double theirsMedian = python ? Figure.median(theirs) : Double.NaN;
        results.add(new Figure(1, "worker end to end, " + name + ", " + partitions + " partitions x " + samples + " samples, "
                + THREADS + " threads", "samples/s", oursMedian, ours, theirsMedian, "CAI-style Python worker", "ratio >= 1.25",
                python ? oursMedian / theirsMedian >= 1.25 : null));
        double computeMedian = Figure.median(compute);
        double rawMedian = Figure.median(raw);
        results.add(new Figure(2, "worker compute-only (steady state), " + name, "samples/s", computeMedian, compute, rawMedian,
                "raw DJL forward loop, tensors in memory", "ratio >= 0.97", computeMedian / rawMedian >= 0.97));
        if (python) {
            results.add(new Figure(2, "worker compute-only vs PyTorch's forward in Python, " + name, "samples/s", computeMedian,
                    compute, Figure.median(pyForward), "PyTorch forward (Python)", "", null));
        }
        overlap(results, runs, name, modelUri, endpoint, last, repeats);
    }

    /** The CAI-style Python worker over every partition; its samples/s counts the whole process, as ours does. */
    private static double caiStyle(WorkerRuns runs, String endpoint, String modelUri, int partitions, int samples) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            keys.add(String.format(Locale.ROOT, "partition-%05d.npz", i));
        }
        String modelKey = modelUri.substring("s3://bench/".length());
        long t0 = System.nanoTime();
        WorkerRuns.run(List.of(PY, "bench/python/cai_worker.py", endpoint, "bench", "data/", String.join(",", keys), modelKey,
                "out/python-" + System.nanoTime() + "/", "512", Integer.toString(THREADS)),
                Map.of("AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench-secret"));
        return (double) partitions * samples / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * S3 throttled so one partition downloads in about the time it computes: the pipelined worker
     * should take about max(download, compute), download-then-compute about their sum.
     */
    private static void overlap(Results results, WorkerRuns runs, String name, String modelUri, String endpoint,
                                WorkerRuns.Run reference, int repeats) throws Exception {
        var ps = reference.rank().partitions();
        double computePerPartition = ps.stream().skip(ps.size() > 1 ? 1 : 0).mapToDouble(p -> p.computeSeconds()).average().orElse(1);
        double bytesPerSecond = ps.get(0).bytes() / computePerPartition;
        double[] pipelined = new double[repeats];
        double[] sequential = new double[repeats];
        double[] bound = new double[repeats];
        try (ThrottledProxy proxy = new ThrottledProxy(java.net.URI.create(endpoint), bytesPerSecond)) {
            String slow = proxy.endpoint().toString();
            for (int r = 0; r < repeats; r++) {
                WorkerRuns.Run seq = runs.worker(slow, modelUri, "s3://bench/data/", 512, THREADS, false, null);
                WorkerRuns.Run pipe = runs.worker(slow, modelUri, "s3://bench/data/", 512, THREADS, true, null);
                double download = seq.rank().partitions().stream().mapToDouble(p -> p.downloadSeconds()).sum();
                double compute = seq.rank().partitions().stream().mapToDouble(p -> p.computeSeconds() + p.uploadSeconds()).sum();
                bound[r] = Math.max(download, compute);
                pipelined[r] = pipe.partitionSeconds();
                sequential[r] = seq.partitionSeconds();
            }
        }
        double b = Figure.median(bound);
        results.add(new Figure(3, "pipelined worker, partition phase, " + name + ", S3 at "
                + String.format(Locale.ROOT, "%.0f", bytesPerSecond / 1e6) + " MB/s", "s", Figure.median(pipelined), pipelined, b,
                "max(download, compute) measured without overlap", "ratio <= 1.1", Figure.median(pipelined) / b <= 1.1));
        results.add(new Figure(3, "download-then-compute worker, same setting, " + name, "s", Figure.median(sequential),
                sequential, b, "max(download, compute)", "", null));
    }

    private static void sweeps(Results results, WorkerRuns runs, String modelUri, String endpoint, int partitions, Path work)
            throws Exception {
        int[] batches = {32, 64, 128, 256, 512};
        double[] bx = new double[batches.length];
        double[] by = new double[batches.length];
        StringBuilder t = new StringBuilder("| batch size | compute-only samples/s | s/batch |\n|---|---|---|\n");
        for (int i = 0; i < batches.length; i++) {
            WorkerRuns.Run run = runs.worker(endpoint, modelUri, "s3://bench/data/", batches[i], THREADS, true, null);
            bx[i] = batches[i];
            by[i] = run.steadyComputeSamplesPerSecond();
            t.append(String.format(Locale.ROOT, "| %d | %.0f | %.4f |%n", batches[i], by[i], run.rank().secondsPerBatch()));
        }
        results.table("Batch size sweep (CAI-shaped CNN, " + THREADS + " threads, one run each)", t.toString());
        double[] dx = new double[partitions];
        double[] dy = new double[partitions];
        StringBuilder d = new StringBuilder("| partitions | samples | end-to-end samples/s | wall s |\n|---|---|---|---|\n");
        for (int n = 1; n <= partitions; n++) {
            WorkerRuns.Run run = runs.worker(endpoint, modelUri, "s3://bench/data/", 512, THREADS, true, n);
            dx[n - 1] = n;
            dy[n - 1] = run.endToEndSamplesPerSecond();
            d.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.2f |%n", n, run.rank().samples(), dy[n - 1], run.wallSeconds()));
        }
        results.table("Data size sweep (one worker, CAI-shaped CNN, batch 512, one run each)", d.toString());
        Plot.write(work.resolve("batch-sweep.png"), "Compute-only samples/s by batch size", "batch size", "samples/s",
                List.of(new Plot.Series("worker", bx, by, new Color(76, 154, 76))));
        Plot.write(work.resolve("data-sweep.png"), "End-to-end samples/s by data size", "partitions", "samples/s",
                List.of(new Plot.Series("worker", dx, dy, new Color(60, 110, 180))));
    }

    static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder(PY, "-c", "import torch, boto3, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
