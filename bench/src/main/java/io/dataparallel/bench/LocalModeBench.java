package io.dataparallel.bench;

import io.dataparallel.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 7: the README's first command, {@code dataparallel run examples/astro-redshift.yaml
 * --example-data} (8 partitions, 4 workers, 2 at a time on 2 cores), end to end against its own
 * compute-only rate, with local mode's worker processes running rank after rank (now) and with
 * one process per rank ({@code DATAPARALLEL_RANKS_PER_PROCESS=1}, as before: JVM, libtorch and
 * model start-up paid by every rank). Runs alternate between the two so that a noisy neighbour
 * slows both alike; each run has a store of its own, so nothing resumes.
 */
final class LocalModeBench {
    static final int SECTION = 7;
    private static final String CLI_JAR = "cli/target/dataparallel-cli-0.1.0-SNAPSHOT.jar";
    private static final String MANIFEST = "examples/astro-redshift.yaml";
    private static final String SUMMARY = "cosmicai-data/results/astro-redshift/summary.json";

    private LocalModeBench() {
    }

    /** One run's figures, from the job's summary.json. */
    private record Rates(double endToEnd, double compute) {
        double share() {
            return endToEnd / compute;
        }
    }

    static void run(Results results, boolean smoke, Path work, Path repo) throws Exception {
        if (!Files.isRegularFile(repo.resolve(CLI_JAR))) {
            results.note("benchmark 7 (local mode) skipped: " + CLI_JAR + " is not built (bench/run.sh builds it)");
            return;
        }
        int repeats = smoke ? 1 : 3;
        List<Rates> before = new ArrayList<>();
        List<Rates> after = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            before.add(runExample(repo, Files.createDirectories(work.resolve("before-" + i)), smoke, true));
            after.add(runExample(repo, Files.createDirectories(work.resolve("after-" + i)), smoke, false));
        }
        String setting = smoke ? "the example manifest, 8 partitions x 64 samples (smoke)"
                : "the example (8 partitions x 1024 samples, 4 workers, 2 at a time, 1 thread each)";
        double[] beforeE2e = before.stream().mapToDouble(Rates::endToEnd).toArray();
        double[] afterE2e = after.stream().mapToDouble(Rates::endToEnd).toArray();
        double beforeCompute = Figure.median(before.stream().mapToDouble(Rates::compute).toArray());
        double afterCompute = Figure.median(after.stream().mapToDouble(Rates::compute).toArray());
        double afterShare = Figure.median(afterE2e) / afterCompute;
        results.add(new Figure(SECTION, "local mode end to end, one process per rank (before), " + setting, "samples/s",
                Figure.median(beforeE2e), beforeE2e, beforeCompute, "compute-only samples/s of the same runs", "", null));
        results.add(new Figure(SECTION, "local mode end to end, processes running rank after rank (now), " + setting, "samples/s",
                Figure.median(afterE2e), afterE2e, afterCompute, "compute-only samples/s of the same runs", "ratio >= 0.5",
                afterShare >= 0.5));
        results.add(new Figure(SECTION, "local mode end to end, now against before, " + setting, "samples/s",
                Figure.median(afterE2e), afterE2e, Figure.median(beforeE2e), "one process per rank", "", null));
        results.note(String.format(Locale.ROOT, "benchmark 7 per run, end to end / compute-only: before %s, now %s",
                shares(before), shares(after)));
    }

    private static String shares(List<Rates> runs) {
        List<String> s = new ArrayList<>();
        for (Rates r : runs) {
            s.add(String.format(Locale.ROOT, "%.0f/%.0f", r.endToEnd(), r.compute()));
        }
        return String.join(", ", s);
    }

    /** Runs the example in {@code dir} (its own store and run folder); {@code perRank}: one process per rank. */
    private static Rates runExample(Path repo, Path dir, boolean smoke, boolean perRank) throws IOException, InterruptedException {
        Path store = dir.resolve("store");
        String manifest = repo.resolve(MANIFEST).toString();
        if (smoke) {
            cli(repo, dir, perRank, "example", manifest, "--store", store.toString(), "--partitions", "8", "--samples", "64");
            cli(repo, dir, perRank, "run", manifest, "--store", store.toString());
        } else {
            cli(repo, dir, perRank, "run", manifest, "--example-data", "--store", store.toString());
        }
        Map<?, ?> summary = Json.read(Files.readAllBytes(store.resolve(SUMMARY)), Map.class);
        return new Rates(WorkerRuns.number(summary, "samples_per_second"), WorkerRuns.number(summary, "compute_samples_per_second"));
    }

    /** The dataparallel command as ./dataparallel runs it, pinned to 2 cores where the machine has more. */
    private static void cli(Path repo, Path dir, boolean perRank, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (Runtime.getRuntime().availableProcessors() > 2) {
            cmd.addAll(List.of("taskset", "-c", "0,1")); // the goal is stated for 2 cores; the workers size themselves to these
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true", "-cp",
                repo.resolve(CLI_JAR) + ":" + repo.resolve("cli/target/lib") + "/*", "io.dataparallel.cli.Cli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PYTORCH_VERSION", "2.7.1");
        pb.environment().put("PYTORCH_FLAVOR", "cpu");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        if (perRank) {
            pb.environment().put("DATAPARALLEL_RANKS_PER_PROCESS", "1");
        } else {
            pb.environment().remove("DATAPARALLEL_RANKS_PER_PROCESS");
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed:\n" + out);
        }
    }
}
