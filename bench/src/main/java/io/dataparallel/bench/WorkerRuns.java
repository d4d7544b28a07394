package io.dataparallel.bench;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.Json;
import io.dataparallel.core.launch.ClassDataArchive;
import io.dataparallel.core.output.OutputClaim;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.ObjectStore;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real worker (a fresh JVM running {@code WorkerMain}, as in a pod) and the
 * reference programs as processes, and reads back what they report.
 */
final class WorkerRuns {
    /**
     * What one worker run measured: wall time of the process, its rank result, and the CPU seconds
     * this benchmark's own JVM used meanwhile, which is the embedded S3 server answering the worker.
     */
    record Run(double wallSeconds, RankResult rank, double serverCpuSeconds) {
        double endToEndSamplesPerSecond() {
            return rank.samples() / wallSeconds;
        }

        /** Compute-only samples/s without the first partition, which also warms TorchScript's executor up. */
        double steadyComputeSamplesPerSecond() {
            List<PartitionResult> ps = rank.partitions();
            long samples = 0;
            double seconds = 0;
            for (int i = ps.size() > 1 ? 1 : 0; i < ps.size(); i++) {
                samples += ps.get(i).samples();
                seconds += ps.get(i).computeSeconds();
            }
            return samples / seconds;
        }

        /** Seconds from the first partition's download start to the last one's upload end. */
        double partitionSeconds() {
            List<PartitionResult> ps = rank.partitions();
            return (ps.get(ps.size() - 1).finishedMs() - ps.get(0).startedMs()) / 1000.0;
        }
    }

    private final ObjectStore store;
    private final Map<String, String> credentials;
    private final Path work;
    private int runs;

    WorkerRuns(ObjectStore store, Map<String, String> credentials, Path work) {
        this.store = store;
        this.credentials = credentials;
        this.work = work;
    }

    /** Plans a one-worker job over {@code data} into a fresh output, runs the worker process, returns its figures. */
    Run worker(String endpoint, String model, String data, int batch, int threads, boolean overlap, Integer fileLimit)
            throws IOException, InterruptedException {
        return worker(endpoint, model, data, batch, threads, overlap, fileLimit, null);
    }

    /** As above, with {@code spec.replicas}: null lets the worker choose it by its trials on the first partition. */
    Run worker(String endpoint, String model, String data, int batch, int threads, boolean overlap, Integer fileLimit,
               Integer replicas) throws IOException, InterruptedException {
        return worker(endpoint, model, data, batch, threads, overlap, fileLimit, replicas, Map.of());
    }

    /** As above, with more environment for the worker process (experiments' switches). */
    Run worker(String endpoint, String model, String data, int batch, int threads, boolean overlap, Integer fileLimit,
               Integer replicas, Map<String, String> moreEnv) throws IOException, InterruptedException {
        String output = "s3://bench/out/run-" + (++runs) + "/";
        InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec(model, List.of("images", "magnitudes"), null),
                new DataSpec(data, fileLimit, null), new OutputSpec(output)).withBatchSize(batch).withReplicas(replicas).withWorkers(1)
                .withS3(new S3Spec(endpoint, "us-east-1", true, null));
        JobRef job = new JobRef("bench", "run-" + runs, "");
        Plan plan = new Planner(store, 1).plan(job, spec);
        OutputClaim.claim(store, OutputLayout.of(spec.output()), plan, false);
        Path planFile = work.resolve("plan-" + runs + ".json.gz");
        PlanCodec.write(plan, planFile);
        Map<String, String> env = new HashMap<>(credentials);
        env.put(WorkerLaunch.RANK, "0");
        env.put(WorkerLaunch.WORLD_SIZE, "1");
        env.put(WorkerLaunch.PLAN, planFile.toString());
        env.put(WorkerLaunch.THREADS, Integer.toString(threads));
        env.put(WorkerLaunch.OVERLAP, Boolean.toString(overlap));
        env.put(WorkerLaunch.TMPDIR, work.toString());
        env.putAll(moreEnv);
        long t0 = System.nanoTime();
        double cpu0 = serverCpuSeconds();
        String out = run(java("io.dataparallel.worker.WorkerMain", WorkerLaunch.WORKER), env);
        double wall = (System.nanoTime() - t0) / 1e9;
        double serverCpu = serverCpuSeconds() - cpu0;
        byte[] rank = store.getIfExists(S3Uri.parse("o", output + "ranks/0.json"), "bench")
                .orElseThrow(() -> new IllegalStateException("the worker wrote no rank result:\n" + out));
        return new Run(wall, Json.read(rank, RankResult.class), serverCpu);
    }

    /**
     * CPU seconds (user + system) of this JVM so far. While a worker or a Python reference runs, this
     * JVM only waits for it and serves S3 (S3Proxy is embedded), so the difference over a run is what
     * the S3 server took from the same cores.
     */
    static double serverCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : Double.NaN;
    }

    static List<String> java(String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(WorkerLaunch.JVM_OPTIONS); // as the worker image runs it
        cmd.addAll(ClassDataArchive.forThisClasspath(Map.of())); // as the image maps the archive its build wrote
        cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a command to the end; returns its output, or fails with it. */
    static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return run(command, env, null);
    }

    /** As {@link #run(List, Map)}, in {@code dir} (null: this process's working directory). */
    static String run(List<String> command, Map<String, String> env, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().putAll(env);
        if (command.get(0).endsWith("/java")) { // the worker's code runs in it: as the worker image's ENV has it
            pb.environment().put(WorkerLaunch.ALLOCATOR, WorkerLaunch.ALLOCATOR_SETTINGS);
        }
        pb.environment().put("PYTORCH_VERSION", "2.7.1");
        pb.environment().put("PYTORCH_FLAVOR", "cpu");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** The last line of a program's output that is a JSON object. */
    static Map<?, ?> lastJson(String out) {
        String[] lines = out.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("{")) {
                return Json.read(lines[i].getBytes(StandardCharsets.UTF_8), Map.class);
            }
        }
        throw new IllegalStateException("no JSON in:\n" + out);
    }

    static double number(Map<?, ?> json, String key) {
        return ((Number) json.get(key)).doubleValue();
    }

    Path work() {
        return work;
    }

    static void writeFile(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }
}
