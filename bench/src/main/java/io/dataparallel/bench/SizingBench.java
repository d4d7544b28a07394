package io.dataparallel.bench;

import io.dataparallel.api.spec.DurationText;
import io.dataparallel.core.sizing.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizing from a deadline (issue 15), on this machine in local mode: profile the example job once
 * ({@code dataparallel plan --deadline}), take three deadlines between its fastest and its cheapest
 * option, run the job with each ({@code dataparallel run --deadline D --restart}) and compare the
 * predicted wall time of the workers with the actual one (summary.json's seconds: first worker start
 * to last worker end). Goal: actual / predicted within 0.75 … 1.25. Writes bench/results-sizing.md
 * (bench/target/smoke/ for {@code --smoke}, which runs one deadline once on a smaller job).
 *
 * <p>Run by bench/run.sh's last section, or alone:
 * {@code java -cp "bench/target/dataparallel-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" io.dataparallel.bench.SizingBench [--smoke]}.
 */
public final class SizingBench {
    private static final String CLI_JAR = "cli/target/dataparallel-cli-0.1.0-SNAPSHOT.jar";
    private static final String MANIFEST = "examples/astro-redshift.yaml";
    private static final Pattern ROW = Pattern.compile("^  (\\* choice|  fastest|  cheapest|\\s*)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(.+)$",
            Pattern.MULTILINE);
    private static final Pattern OUTCOME = Pattern.compile("sizing: predicted ([\\d.]+) s, took ([\\d.]+) s");
    private static final Pattern CHOICE = Pattern.compile("choice: (.+?): predicted");
    private static final Pattern PROFILE = Pattern.compile("sizing: profile .*");

    private SizingBench() {
    }

    /** One option row of the table. */
    private record Row(String label, int workers, String cpus, int batch, Duration time) {
    }

    /** One run at one deadline. */
    private record Run(String choice, double predicted, double actual) {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Path repo = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(repo.resolve(CLI_JAR))) {
            System.out.println("sizing benchmark skipped: " + CLI_JAR + " is not built (bench/run.sh builds it)");
            return;
        }
        Path work = Files.createTempDirectory("dataparallel-sizing-bench");
        long t0 = System.nanoTime();
        Path manifest = work.resolve("astro-sized.yaml");
        // the example without its fixed workers and batch size (the sizing's to choose) and its fileLimit (the smoke run seeds fewer)
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(repo.resolve(MANIFEST))) {
            String t = line.strip();
            if (!t.startsWith("workers:") && !t.startsWith("batchSize:") && !t.startsWith("fileLimit:")) {
                lines.add(line);
            }
        }
        Files.write(manifest, lines);
        String store = work.resolve("store").toString();
        // large enough that start-up is not most of a run and the options differ by seconds, so that the three
        // deadlines choose different configurations on 2 cores
        int partitions = smoke ? 4 : 16;
        int samples = smoke ? 128 : 4096;
        cli(repo, work, "example", manifest.toString(), "--store", store, "--partitions", Integer.toString(partitions),
                "--samples", Integer.toString(samples));
        String planned = cli(repo, work, "plan", manifest.toString(), "--store", store, "--deadline", "1h");
        List<Row> rows = rows(planned);
        Duration fastest = rows.stream().filter(r -> r.label().contains("fastest")).map(Row::time).findFirst()
                .orElse(rows.get(0).time());
        // with a deadline of an hour the choice is the cheapest option
        Duration cheapest = rows.stream().filter(r -> r.label().contains("choice")).map(Row::time).findFirst()
                .orElse(rows.get(0).time());
        long tight = (long) Math.ceil(fastest.getSeconds() * 1.15);
        long loose = Math.max(tight, (long) Math.ceil(cheapest.getSeconds() * 1.05));
        List<Long> deadlines = smoke ? List.of(loose) : List.of(loose, (tight + loose) / 2, tight);
        int repeats = smoke ? 1 : 3;
        List<String> table = new ArrayList<>();
        List<String> perRun = new ArrayList<>();
        int within = 0;
        for (long d : deadlines) {
            List<Run> runs = new ArrayList<>();
            String deadline = DurationText.format(Duration.ofSeconds(d));
            for (int i = 0; i < repeats; i++) {
                String out = cli(repo, work, "run", manifest.toString(), "--store", store, "--deadline", deadline, "--restart");
                Matcher o = OUTCOME.matcher(out);
                Matcher c = CHOICE.matcher(out);
                if (!o.find() || !c.find()) {
                    throw new IllegalStateException("no sizing outcome in:\n" + out);
                }
                runs.add(new Run(c.group(1), Double.parseDouble(o.group(1)), Double.parseDouble(o.group(2))));
            }
            double predicted = Figure.median(runs.stream().mapToDouble(Run::predicted).toArray());
            double[] actuals = runs.stream().mapToDouble(Run::actual).toArray();
            double actual = Figure.median(actuals);
            double ratio = actual / predicted;
            boolean ok = ratio >= 0.75 && ratio <= 1.25;
            within += ok ? 1 : 0;
            table.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f (%s) | %.2f | %s |", deadline, runs.get(0).choice(),
                    predicted, actual, join(actuals), ratio, ok ? "yes" : "no"));
            for (Run r : runs) {
                perRun.add(String.format(Locale.ROOT, "%s: %s, predicted %.1f s, took %.1f s", deadline, r.choice(), r.predicted(),
                        r.actual()));
            }
        }
        Path out = smoke ? repo.resolve("bench/target/smoke") : repo.resolve("bench");
        Files.createDirectories(out);
        Matcher profileLine = PROFILE.matcher(planned);
        StringBuilder md = new StringBuilder();
        md.append("# Sizing from a deadline: predicted against actual wall time\n\n");
        md.append("`bench/run.sh` (last section; `").append(smoke ? "--smoke" : "full").append("`), ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load average before: ")
                .append(loadAverage()).append(".\n\n");
        md.append("The example job (").append(partitions).append(" CAI-shaped partitions of ").append(samples)
                .append(" samples, `examples/astro-redshift.yaml` without its `workers`, `batchSize` and `fileLimit`), profiled once on this"
                        + " machine by `dataparallel plan --deadline 1h`, then run with ")
                .append(deadlines.size() == 1 ? "one deadline near its cheapest option, " : deadlines.size()
                        + " deadlines between its fastest and its cheapest option, ").append(repeats).append(repeats == 1 ? " run" : " runs (medians)")
                .append(" each. Predicted: the workers' wall time the sizing predicts for its choice; actual: summary.json's"
                        + " `seconds` (first worker start to last worker end). Goal: actual / predicted within 0.75 … 1.25.\n\n");
        md.append(profileLine.find() ? "Profile: " + profileLine.group().substring("sizing: profile ".length()) + "\n\n" : "");
        md.append("| deadline | choice | predicted s | actual s (runs) | actual / predicted | within ±25 % |\n");
        md.append("|---|---|---|---|---|---|\n");
        table.forEach(l -> md.append(l).append('\n'));
        md.append('\n').append(within).append(" of ").append(deadlines.size()).append(" deadlines within ±25 %.\n\n");
        md.append("Options of the profiling `plan` (what the deadlines were taken from):\n\n```\n");
        for (String l : planned.split("\n")) {
            if (l.startsWith("  option") || ROW.matcher(l).matches() || l.startsWith("choice:")) {
                md.append(l).append('\n');
            }
        }
        md.append("```\n\nEach run: ").append(String.join("; ", perRun)).append(".\n");
        try (var profiles = Files.list(work.resolve(".dataparallel/profiles"))) {
            Path profile = profiles.findFirst().orElseThrow();
            md.append("\n## CAI's workload sized from this profile\n\n").append(CaiSizingExample.PARTITIONS)
                    .append(" partitions of ").append(CaiSizingExample.BYTES / 1_000_000).append(" MB, ")
                    .append(CaiSizingExample.SAMPLES).append(" samples each, Lambda-like prices (see CaiSizingExample):\n\n")
                    .append(CaiSizingExample.markdown(Profile.fromJson(Files.readAllBytes(profile)),
                            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30))))
                    .append("\nThe profile itself:\n\n```json\n").append(Files.readString(profile)).append("\n```\n");
        }
        Files.writeString(out.resolve("results-sizing.md"), md.toString());
        System.out.printf(Locale.ROOT, "sizing benchmark done in %.0f s; results in %s%n", (System.nanoTime() - t0) / 1e9,
                out.resolve("results-sizing.md"));
        PlannerBench.deleteTree(work);
    }

    private static String join(double[] values) {
        List<String> s = new ArrayList<>();
        for (double v : values) {
            s.add(String.format(Locale.ROOT, "%.1f", v));
        }
        return String.join(", ", s);
    }

    private static List<Row> rows(String planOutput) {
        List<Row> rows = new ArrayList<>();
        Matcher m = ROW.matcher(planOutput);
        while (m.find()) {
            Duration time = DurationText.parse(m.group(5)).orElseThrow(() -> new IllegalStateException("no time in " + m.group()));
            rows.add(new Row(m.group(1).strip(), Integer.parseInt(m.group(2)), m.group(3), Integer.parseInt(m.group(4)), time));
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("no options table in:\n" + planOutput);
        }
        return rows;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The dataparallel command, in {@code dir} (its profiles and runs stay there); its output. */
    private static String cli(Path repo, Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", repo.resolve(CLI_JAR) + ":" + repo.resolve("cli/target/lib") + "/*",
                "io.dataparallel.cli.Cli"));
        cmd.addAll(List.of(args));
        return WorkerRuns.run(cmd, Map.of(), dir);
    }
}
