package io.dataparallel.cli;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.Timestamps;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RunRecord;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.core.format.PartitionFormat;
import io.dataparallel.core.manifest.Manifest;
import io.dataparallel.core.output.OutputClaim;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.ResumeScan;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.summary.FailureGroups;
import io.dataparallel.core.summary.StatusOf;
import io.dataparallel.core.summary.Summarizer;
import io.dataparallel.core.summary.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Local mode: one InferenceJob on this machine with the cluster's parts. The same
 * validation and planner, the real worker as local processes (RANK, WORLD_SIZE, the plan
 * as a file), the summarizer, and at the end the status the operator would write.
 */
final class LocalRun {
    /** Command-line choices. */
    record Options(Path store, Integer parallel, Integer threads, boolean exampleData, PartitionFormat exampleFormat, boolean restart,
                   LocalSizing.Flags sizing, PrintStream out, boolean terminal) {
    }

    private LocalRun() {
    }

    /**
     * Runs the job; returns the process exit code (0 when it succeeded).
     *
     * @param manifest a manifest whose spec is valid: Cli validates it where it reads the manifest
     */
    static int run(Manifest manifest, Options options) throws InterruptedException {
        InferenceJobSpec spec = manifest.spec();
        PrintStream out = options.out();
        Instant start = Instant.now();
        String started = Timestamps.of(start);
        if (options.parallel() != null && options.sizing().goal(spec).isPresent()) {
            throw new BadInputException("--parallel", "with a deadline or budget the sizing chooses the worker processes:"
                    + " leave --parallel out (--threads fixes the CPUs per worker), or drop the deadline and budget");
        }
        try (LocalStore local = LocalStore.open(spec, options.store())) {
            if (options.exampleData()) {
                ExampleData.seed(local, spec, null, null, options.exampleFormat(), out);
            }
            OutputLayout layout = OutputLayout.of(spec.output());
            S3Uri output = layout.root();
            local.ensureBucket(output);
            LocalSizing.SizedPlan sizedPlan = LocalSizing.plan(manifest, options.sizing(), options.threads(), local, runDir(manifest), out);
            InferenceJobSpec effective = sizedPlan.spec();
            Plan planned = sizedPlan.plan();
            LocalSizing.Sized sized = sizedPlan.sized();
            OutputClaim.claim(local.store(), layout, planned, options.restart());
            Plan plan = ResumeScan.resume(local.store(), layout, planned); // only what is left goes to workers

            int cores = Runtime.getRuntime().availableProcessors();
            // like a Job's parallelism below its completions: all ranks run, at most one per core at once
            // a sized job runs every worker at once, each with the CPUs chosen for it as its threads
            int parallel = sized != null ? Math.max(1, plan.worldSize()) : options.parallel() != null ? options.parallel()
                    : Math.max(1, Math.min(plan.worldSize(), cores));
            int threads = sized != null ? sized.choice().size().threadsPerReplica(1)
                    : options.threads() != null ? options.threads() : Math.max(1, cores / parallel);
            if (plan.worldSize() == 0) {
                out.printf("job %s: %s (%.1f MB): no worker needs to run%n", manifest.job().id(), Planner.partitionsText(plan),
                        plan.totalBytes() / 1e6);
            } else {
                out.printf("job %s: %s (%.1f MB) on %d %s, %d at a time with %d intra-op thread(s) each%n", manifest.job().id(),
                        Planner.partitionsText(plan), plan.totalBytes() / 1e6, plan.worldSize(), plan.worldSize() == 1 ? "worker" : "workers",
                        parallel, threads);
            }
            plan.notes().forEach(n -> out.println("note: " + n));

            Path runDir = runDir(manifest);
            Path planFile = runDir.resolve(WorkerLaunch.PLAN_FILE);
            PlanCodec.write(plan, planFile);
            Map<String, String> env = new HashMap<>(local.env());
            env.put(WorkerLaunch.PLAN, planFile.toString());
            env.put(WorkerLaunch.THREADS, Integer.toString(threads));
            env.put(WorkerLaunch.TMPDIR, runDir.resolve("tmp").toString());
            env.put(WorkerLaunch.ALLOCATOR, WorkerLaunch.ALLOCATOR_SETTINGS); // as the worker image's ENV has it

            WorkerPool pool = WorkerPool.fromEnvironment(System.getenv());
            Thread stopper = new Thread(pool::stopAll, "stop-workers");
            Runtime.getRuntime().addShutdownHook(stopper);
            List<WorkerPool.Outcome> outcomes;
            try (ProgressBar bar = new ProgressBar(local.store(), layout, plan, out, options.terminal())) {
                bar.start();
                Instant deadline = plan.spec().timeoutDuration().map(Instant.now()::plus).orElse(null);
                outcomes = pool.run(plan.worldSize(), parallel, effective.retriesOrDefault(), env, runDir, deadline);
            } finally {
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
            Summary summary = new Summarizer(local.store()).summarize(plan, start.toEpochMilli(), pool.timedOut());
            for (WorkerPool.Outcome o : outcomes) {
                if (!o.succeeded()) {
                    out.printf("worker %d failed (exit %d after %d attempts): %s%n", o.rank(), o.exitCode(), o.attempts(), o.lastError());
                }
            }
            if (!summary.failedPartitions().isEmpty()) {
                // a bad spec fails every partition alike: each reason once, with how many it cost
                out.printf("failed partitions: %d of %d%n", summary.failedPartitions().size(), plan.partitionCount());
                FailureGroups.lines(summary.failedPartitions()).forEach(line -> out.println("  " + line));
            }
            // the operator's verdict on the same summary: a worker counts as failed when its rank left no result or
            // failed partitions (it exited 3, as the Job controller counts it)
            Verdict verdict = Verdict.of(summary, plan.spec());
            InferenceJobStatus status = StatusOf.ended(StatusOf.summarized(StatusOf.planned(
                    InferenceJobStatus.EMPTY.withStartTime(started), plan, output.toString()), plan, summary), verdict, Timestamps.now());
            out.print(Cli.yaml(Map.of("status", status)));
            if (summary.samplesPerSecond() > 0) {
                out.println(throughput(summary));
            }
            if (summary.partitionsResumed() > 0) {
                out.println(record(summary));
            }
            if (sized != null) {
                LocalSizing.printOutcome(sized, plan, summary.thisRun().seconds(), local, out);
            }
            printWhere(local, layout, summary, out);
            if (!summary.failedWorkers().isEmpty()) {
                out.println("logs:        " + runDir + " (rank-N.log of each worker)");
            }
            return verdict.succeeded() ? 0 : 1;
        }
    }

    /**
     * Where the results are, with absolute paths for the embedded store so that they work from
     * any folder; only what exists: no predictions line when no partition has one.
     */
    private static void printWhere(LocalStore local, OutputLayout layout, Summary summary, PrintStream out) {
        S3Uri predictions = layout.root().resolve(OutputLayout.PREDICTIONS);
        Path folder = local.localPath(predictions);
        if (summary.partitionsDone() > 0 && (folder == null || Files.isDirectory(folder))) {
            out.println("predictions: " + predictions + (folder == null ? "" : " (folder " + folder + ")"));
        }
        printObject("summary:     ", local, layout.summary(), out);
        printObject("report:      ", local, layout.report(), out);
    }

    /** The figures people look for first, in their units: 157 samples/s, 28.8 MB/s. */
    static String throughput(Summary s) {
        double mbPerSecond = s.throughputBps() / 8 / 1e6;
        return String.format(Locale.ROOT, "throughput:  %.0f samples/s end to end, %.0f samples/s computing, %s MB/s of input"
                        + " computing (%d samples in %.1f s)", s.samplesPerSecond(), s.computeSamplesPerSecond(),
                String.format(Locale.ROOT, mbPerSecond < 10 ? "%.1f" : "%.0f", mbPerSecond), s.samples(), s.seconds());
    }

    /**
     * What this run computed beside what earlier runs did, and where each run's rank results are in
     * {@code combined_data.json}: a rerun with another number of workers keeps the earlier ranks as they were.
     */
    static String record(Summary s) {
        RunRecord now = s.thisRun();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "this run:    %d samples computed now in %d partitions, %d done"
                + " earlier", s.computedSamples(), now.partitionsComputed(), s.resumedSamples()));
        if (!s.earlierRuns().isEmpty()) {
            int runs = s.earlierRuns().size();
            b.append(String.format(Locale.ROOT, "%nearlier:     %d run%s;", runs, runs == 1 ? "" : "s"));
            for (RunRecord r : s.earlierRuns()) {
                b.append(String.format(Locale.ROOT, " %d samples on %d workers (plan %s)", r.computedSamples(), r.workers(),
                        r.planHash()));
            }
            b.append(String.format(Locale.ROOT, "%n             combined_data.json keeps their rank results, each under its own run's"
                    + " plan_hash, rank and world_size%s", s.workers() == 0 ? ""
                    : String.format(Locale.ROOT, ", beside this run's (plan %s, %d workers)", s.planHash(), s.workers())));
        }
        return b.toString();
    }

    private static void printObject(String label, LocalStore local, S3Uri uri, PrintStream out) {
        Path file = local.localPath(uri);
        if (file == null) {
            out.println(label + uri);
        } else if (Files.isRegularFile(file)) {
            out.println(label + uri + " (file " + file + ")");
        }
    }

    static Path runDir(Manifest manifest) {
        Path dir = Path.of(".dataparallel", "runs", manifest.job().namespace() + "-" + manifest.job().name()).toAbsolutePath();
        try {
            Files.createDirectories(dir.resolve("tmp"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
