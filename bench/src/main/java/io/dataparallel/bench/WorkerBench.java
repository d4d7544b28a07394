package io.dataparallel.bench;

import io.dataparallel.core.testing.S3FaultProxy;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.s3.EmbeddedS3;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import io.dataparallel.api.spec.S3Spec;
import java.awt.Color;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmarks 1 to 4: our worker against a CAI-style Python worker (end to end), its
 * compute-only rate against a raw DJL forward loop and PyTorch's own forward, I/O overlap
 * with S3 throttled so download time is about compute time, and CAI's batch and data sweeps.
 * Everything runs against one S3Proxy on loopback with the same partitions and threads.
 */
public final class WorkerBench {
    static final int THREADS = 2;

    private WorkerBench() {
    }

    /**
     * A model and the data it is measured on. The heavier model gets smaller partitions so its
     * runs take about as long as the CNN's; both keep the CAI layout (images, magnitudes).
     *
     * @param samples          samples per partition for benchmarks 1 and 2
     * @param overlapSamples   samples per partition for benchmark 3, which uses {@link #OVERLAP_PARTITIONS}
     * @param batch            spec.batchSize
     */
    record Model(String name, Path file, int samples, int overlapSamples, int batch) {
        String key() {
            return "models/" + file.getFileName();
        }

        String data() {
            return "data-" + file.getFileName().toString().replace(".pt", "") + "/";
        }

        String overlapData() {
            return "overlap-" + file.getFileName().toString().replace(".pt", "") + "/";
        }
    }

    /**
     * Partitions in the overlap benchmark. A pipeline of n equal partitions cannot beat
     * (n + 1) / n times max(download, compute): the first download and the last compute have
     * nothing to hide behind. With 12 that floor is 1.08, under the goal's 1.1.
     */
    static final int OVERLAP_PARTITIONS = 12;
    /** Rounds of each paired compute run (PairedCompute); the figure is the median over every round of every repeat. */
    static final int PAIRED_ROUNDS = 5;
    private static final String ACCESS_KEY = "bench";
    private static final String SECRET_KEY = "bench-secret";
    /** The embedded store's credentials, for this process, the worker and the Python reference alike. */
    private static final Map<String, String> CREDENTIALS =
            Map.of(WorkerLaunch.ACCESS_KEY_ID, ACCESS_KEY, WorkerLaunch.SECRET_ACCESS_KEY, SECRET_KEY);

    public static void run(Results results, boolean smoke, Path work, Path repo, Set<String> flags) throws Exception {
        int partitions = smoke ? 2 : 4;
        int repeats = smoke ? 1 : 3;
        List<PythonRefs.Ref> refs = PythonRefs.available(flags);
        if (refs.isEmpty()) {
            results.note("Python references skipped: no Python with torch, numpy and boto3 (bench/run.sh makes the PyTorch 2.7.1 venv)");
        }
        List<Model> models = new ArrayList<>();
        // CAI's 100 MB partitions hold 5,113 samples
        Model cnn = new Model("CAI-shaped CNN", repo.resolve("examples/models/astro-redshift.pt"), smoke ? 256 : 5113,
                smoke ? 128 : 2048, 512);
        if (smoke || !flags.contains("--skip-cnn")) {
            models.add(cnn);
        }
        if (!smoke && !flags.contains("--skip-resnet")) {
            models.add(new Model("ResNet-like", repo.resolve("bench/models/astro-resnet.pt"), 512, 128, 32));
        }
        if (!smoke && !flags.contains("--skip-vit")) {
            models.add(new Model("ViT-like", repo.resolve("bench/models/astro-vit.pt"), 512, 128, 32));
        }
        try (EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("store"), ACCESS_KEY, SECRET_KEY);
             ObjectStore store = new ObjectStore(S3Clients.create(new S3Spec(s3.endpoint().toString(), null, true, null), CREDENTIALS))) {
            store.client().createBucket(b -> b.bucket("bench"));
            WorkerRuns runs = new WorkerRuns(store, CREDENTIALS, work);
            String endpoint = s3.endpoint().toString();
            for (Model m : models) {
                CaiDataGenerator.upload(store, new S3Uri("bench", m.data()), 2026, partitions, m.samples());
                CaiDataGenerator.upload(store, new S3Uri("bench", m.overlapData()), 2027, smoke ? 3 : OVERLAP_PARTITIONS,
                        m.overlapSamples());
                Path partition = work.resolve("partition-" + m.samples() + ".npz");
                WorkerRuns.writeFile(partition, CaiDataGenerator.partition(2026, 0, m.samples()));
                store.put(new S3Uri("bench", m.key()), Files.readAllBytes(m.file()), "application/octet-stream", Map.of(), false,
                        "bench");
                compare(results, runs, m, endpoint, partition, partitions, repeats, refs);
            }
            if (!flags.contains("--skip-sweeps") && models.contains(cnn)) { // the sweeps are CAI's, on its CNN
                sweeps(results, runs, cnn, endpoint, partitions, work);
            }
        }
    }

    private static void compare(Results results, WorkerRuns runs, Model m, String endpoint, Path partition, int partitions,
                                int repeats, List<PythonRefs.Ref> refs) throws Exception {
        String modelUri = "s3://bench/" + m.key();
        String data = "s3://bench/" + m.data();
        double[] ours = new double[repeats];
        double[][] theirs = new double[refs.size()][repeats];
        List<WorkerRuns.Run> workerRuns = new ArrayList<>();
        List<List<Map<?, ?>>> pythonRuns = new ArrayList<>();
        refs.forEach(ref -> pythonRuns.add(new ArrayList<>()));
        double[] pipelinedCompute = new double[repeats];
        double[] raw = new double[repeats];
        double[][] pyForward = new double[refs.size()][repeats];
        List<Double> pairedWorker = new ArrayList<>();
        List<Double> pairedRaw = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            WorkerRuns.Run run = runs.worker(endpoint, modelUri, data, m.batch(), THREADS, true, null);
            ours[r] = run.endToEndSamplesPerSecond();
            workerRuns.add(run);
            pipelinedCompute[r] = run.steadyComputeSamplesPerSecond();
            raw[r] = WorkerRuns.number(WorkerRuns.lastJson(WorkerRuns.run(WorkerRuns.java("io.dataparallel.bench.RawForward",
                    m.file().toString(), partition.toString(), Integer.toString(m.batch()), Integer.toString(THREADS), "3"), Map.of())), "samples_per_second");
            Map<?, ?> paired = WorkerRuns.lastJson(WorkerRuns.run(WorkerRuns.java("io.dataparallel.bench.PairedCompute",
                    m.file().toString(), partition.toString(), Integer.toString(m.batch()), Integer.toString(THREADS), Integer.toString(PAIRED_ROUNDS)),
                    Map.of()));
            pairedWorker.addAll(numbers(paired, "workers"));
            pairedRaw.addAll(numbers(paired, "raws"));
            for (int k = 0; k < refs.size(); k++) { // 2.7.1 and 1.13 alternate within each repeat
                Map<?, ?> report = caiStyle(refs.get(k).exe(), endpoint, m, partitions);
                pythonRuns.get(k).add(report);
                theirs[k][r] = WorkerRuns.number(report, "samples") / WorkerRuns.number(report, "wall");
                pyForward[k][r] = WorkerRuns.number(WorkerRuns.lastJson(WorkerRuns.run(List.of(refs.get(k).exe(), "bench/python/forward.py",
                        m.file().toString(), partition.toString(), Integer.toString(m.batch()), Integer.toString(THREADS), "3"), Map.of())),
                        "samples_per_second");
            }
        }
        double oursMedian = Figure.median(ours);
        String setting = m.name() + ", " + partitions + " partitions x " + m.samples() + " samples, batch " + m.batch() + ", "
                + THREADS + " threads";
        if (refs.isEmpty()) {
            results.add(new Figure(1, "worker end to end, " + setting, "samples/s", oursMedian, ours, Double.NaN,
                    "CAI-style Python worker", "ratio >= 1.25", null));
        }
        for (int k = 0; k < refs.size(); k++) { // the goal is judged against the first: PyTorch 2.7.1 when it is there
            double theirsMedian = Figure.median(theirs[k]);
            results.add(new Figure(1, "worker end to end, " + setting, "samples/s", oursMedian, ours, theirsMedian,
                    "CAI-style Python worker, " + refs.get(k).label(), k == 0 ? "ratio >= 1.25" : "",
                    k == 0 ? oursMedian / theirsMedian >= 1.25 : null));
        }
        results.table("Where benchmark 1's time goes, " + setting + " (seconds, median of " + repeats + " runs)",
                StartupTable.markdown(workerRuns, refs, pythonRuns));
        // compute-only comes from the download-then-compute runs of benchmark 3: there nothing else runs while
        // the model computes, as in the raw loop, so the ratio is the worker's own overhead
        double[] compute = overlap(results, runs, m, endpoint, repeats);
        double computeMedian = Figure.median(compute);
        double rawMedian = Figure.median(raw);
        double[] pw = pairedWorker.stream().mapToDouble(Double::doubleValue).toArray();
        double[] pr = pairedRaw.stream().mapToDouble(Double::doubleValue).toArray();
        double[] ratios = new double[pw.length];
        for (int i = 0; i < pw.length; i++) {
            ratios[i] = pw[i] / pr[i];
        }
        // the goal is judged per round: the machine's speed drifts between rounds, not within one
        results.add(new Figure(2, "worker compute path (ModelRunner and quality data) against a raw DJL forward loop, the two"
                + " alternating in one process, ratio per round, " + m.name(), "x", Figure.median(ratios), ratios, 1.0,
                "the raw loop in the same round", "ratio >= 0.97", Figure.median(ratios) >= 0.97));
        results.add(new Figure(2, "same rounds in samples/s, " + m.name(), "samples/s", Figure.median(pw), pw, Figure.median(pr),
                "raw DJL forward loop, tensors in memory", "", null));
        results.add(new Figure(2, "worker process compute-only (steady state, nothing downloading beside it), " + m.name(),
                "samples/s", computeMedian, compute, rawMedian, "raw DJL forward loop in a process of its own", "", null));
        results.add(new Figure(2, "worker compute-only while the next partition downloads (pipelined, the default), " + m.name(),
                "samples/s", Figure.median(pipelinedCompute), pipelinedCompute, rawMedian, "raw DJL forward loop", "", null));
        for (int k = 0; k < refs.size(); k++) {
            results.add(new Figure(2, "worker process compute-only vs PyTorch's forward in a Python process of its own, " + m.name(),
                    "samples/s", computeMedian, compute, Figure.median(pyForward[k]), refs.get(k).label() + " forward (Python)", "", null));
        }
    }

    /**
     * The CAI-style Python worker over every partition: its report (samples, seconds in each phase) with
     * {@code wall}, the whole process's time, which its samples/s counts, as ours does.
     */
    private static Map<?, ?> caiStyle(String python, String endpoint, Model m, int partitions) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            keys.add(String.format(Locale.ROOT, "partition-%05d.npz", i));
        }
        long t0 = System.nanoTime();
        double cpu0 = WorkerRuns.serverCpuSeconds();
        String out = WorkerRuns.run(List.of(python, "bench/python/cai_worker.py", endpoint, "bench", m.data(), String.join(",", keys),
                m.key(), "out/python-" + System.nanoTime() + "/", Integer.toString(m.batch()), Integer.toString(THREADS)),
                CREDENTIALS);
        Map<String, Object> report = new LinkedHashMap<>();
        WorkerRuns.lastJson(out).forEach((k, v) -> report.put(k.toString(), v));
        report.put("wall", (System.nanoTime() - t0) / 1e9);
        report.put("server_cpu", WorkerRuns.serverCpuSeconds() - cpu0);
        return report;
    }

    /**
     * S3 throttled so one partition downloads in about the time it computes: the pipelined worker
     * should take about max(download, compute), download-then-compute about their sum. Returns
     * the steady compute-only rate of each download-then-compute run.
     */
    private static double[] overlap(Results results, WorkerRuns runs, Model m, String endpoint, int repeats) throws Exception {
        String modelUri = "s3://bench/" + m.key();
        String data = "s3://bench/" + m.overlapData();
        // one replica of THREADS threads, given, as before replicas existed: the figure is the pipeline's, and a choice by
        // trials would put their seconds inside the first partition's time
        // calibrate: compute time per partition, unthrottled and without overlap
        WorkerRuns.Run calibration = runs.worker(endpoint, modelUri, data, m.batch(), THREADS, false, null, 1);
        var cp = calibration.rank().partitions();
        double computePerPartition = cp.stream().skip(1).mapToDouble(p -> p.computeSeconds() + p.uploadSeconds()).average()
                .orElse(1);
        double bytesPerSecond = cp.get(0).bytes() / computePerPartition;
        double[] pipelined = new double[repeats];
        double[] sequential = new double[repeats];
        double[] bound = new double[repeats];
        double[] floor = new double[repeats];
        double[] compute = new double[repeats];
        double[] serverCpu = new double[repeats];
        double[] workerCpu = new double[repeats];
        double[] wall = new double[repeats];
        try (S3FaultProxy proxy = new S3FaultProxy(URI.create(endpoint)).throttle(bytesPerSecond)) {
            String slow = proxy.endpoint().toString();
            for (int r = 0; r < repeats; r++) {
                WorkerRuns.Run seq = runs.worker(slow, modelUri, data, m.batch(), THREADS, false, null, 1);
                WorkerRuns.Run pipe = runs.worker(slow, modelUri, data, m.batch(), THREADS, true, null, 1);
                serverCpu[r] = pipe.serverCpuSeconds();
                workerCpu[r] = pipe.rank().cpuSeconds();
                wall[r] = pipe.wallSeconds();
                // what the pipeline had to hide: the downloads as the download-then-compute run timed them (nothing
                // beside them), and the compute the pipelined run itself did (contention on a small machine slows it,
                // and benchmark 2 reports that apart)
                var downloads = seq.rank().partitions();
                var computes = pipe.rank().partitions();
                double download = downloads.stream().mapToDouble(p -> p.downloadSeconds()).sum();
                double work = computes.stream().mapToDouble(p -> p.computeSeconds() + p.uploadSeconds()).sum();
                bound[r] = Math.max(download, work);
                // the best a one-ahead pipeline can do: first download, then the slower of each pair, then the last compute
                int last = computes.size() - 1;
                double best = downloads.get(0).downloadSeconds() + computes.get(last).computeSeconds() + computes.get(last).uploadSeconds();
                for (int i = 1; i <= last; i++) {
                    best += Math.max(downloads.get(i).downloadSeconds(), computes.get(i - 1).computeSeconds() + computes.get(i - 1).uploadSeconds());
                }
                floor[r] = best;
                pipelined[r] = pipe.partitionSeconds();
                sequential[r] = seq.partitionSeconds();
                compute[r] = seq.steadyComputeSamplesPerSecond();
            }
        }
        double b = Figure.median(bound);
        int n = calibration.rank().partitions().size();
        String setting = m.name() + ", " + n + " partitions x " + m.overlapSamples() + " samples, S3 at "
                + String.format(Locale.ROOT, "%.0f", bytesPerSecond / 1e6) + " MB/s";
        results.add(new Figure(3, "pipelined worker, partition phase, " + setting, "s", Figure.median(pipelined), pipelined, b,
                "max(download alone, compute of the pipelined run)", "ratio <= 1.1", Figure.median(pipelined) / b <= 1.1));
        results.add(new Figure(3, "pipelined worker against the one-ahead pipeline's floor, " + m.name(), "s",
                Figure.median(pipelined), pipelined, Figure.median(floor),
                "first download + max(download, compute) per step + last compute", "", null));
        results.add(new Figure(3, "download-then-compute worker, same setting, " + m.name(), "s", Figure.median(sequential),
                sequential, b, "max(download, compute)", "", null));
        // how busy the machine was: on loopback the S3 server and the throttling proxy run in this process
        results.note(String.format(Locale.ROOT, "overlap, %s: during a pipelined run (median %.1f s wall) the S3 server and the"
                + " throttling proxy in the benchmark's process used %.1f CPU-seconds and the worker process %.1f (compute,"
                + " download client, upload): %.1f of the %d cores' %.1f core-seconds",
                m.name(), Figure.median(wall), Figure.median(serverCpu), Figure.median(workerCpu),
                Figure.median(serverCpu) + Figure.median(workerCpu), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().availableProcessors() * Figure.median(wall)));
        return compute;
    }

    private static void sweeps(Results results, WorkerRuns runs, Model m, String endpoint, int partitions, Path work)
            throws Exception {
        String modelUri = "s3://bench/" + m.key();
        String data = "s3://bench/" + m.data();
        int[] batches = {32, 64, 128, 256, 512};
        double[] bx = new double[batches.length];
        double[] by = new double[batches.length];
        StringBuilder t = new StringBuilder("| batch size | compute-only samples/s (download-then-compute) | s/batch |\n|---|---|---|\n");
        for (int i = 0; i < batches.length; i++) {
            WorkerRuns.Run run = runs.worker(endpoint, modelUri, data, batches[i], THREADS, false, null);
            bx[i] = batches[i];
            by[i] = run.steadyComputeSamplesPerSecond();
            t.append(String.format(Locale.ROOT, "| %d | %.0f | %.4f |%n", batches[i], by[i], run.rank().secondsPerBatch()));
        }
        results.table("Batch size sweep (CAI-shaped CNN, " + THREADS + " threads, one run each)", t.toString());
        double[] dx = new double[partitions];
        double[] dy = new double[partitions];
        StringBuilder d = new StringBuilder("| partitions | samples | end-to-end samples/s | wall s |\n|---|---|---|---|\n");
        for (int n = 1; n <= partitions; n++) {
            WorkerRuns.Run run = runs.worker(endpoint, modelUri, data, 512, THREADS, true, n);
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

    private static List<Double> numbers(Map<?, ?> json, String key) {
        List<Double> out = new ArrayList<>();
        for (Object o : (List<?>) json.get(key)) {
            out.add(((Number) o).doubleValue());
        }
        return out;
    }
}
