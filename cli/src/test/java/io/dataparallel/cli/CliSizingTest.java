package io.dataparallel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizing from a deadline or budget on this machine: profile, options table, choice, and the messages when it cannot be met. */
class CliSizingTest {
    @TempDir
    static Path tmp;
    static Path store;

    static CliTest.Result cli(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        return new CliTest.Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    static Path manifest(String name, String extra) throws Exception {
        String spec = """
                model: {uri: s3://models/astro/redshift.pt, inputs: [images, magnitudes], outputs: [redshift_pred]}
                data: {uri: s3://cosmicai-data/sized/, labels: redshift}
                output: {uri: s3://cosmicai-data/results/%s/}
                """.formatted(name) + extra;
        return Files.writeString(tmp.resolve(name + ".yaml"), CliTest.job(name, spec));
    }

    @BeforeAll
    static void example() throws Exception {
        store = tmp.resolve("store");
        CliTest.Result r = cli("example", manifest("seed", "").toString(), "--store", store.toString(), "--partitions", "4",
                "--samples", "20");
        assertEquals(0, r.code(), r.out());
    }

    @Test
    void planProfilesHereAndPrintsTheOptionsWithTheChoiceThenRunUsesIt() throws Exception {
        Path m = manifest("sized", "");
        CliTest.Result plan = cli("plan", m.toString(), "--store", store.toString(), "--deadline", "10m", "--reprofile",
                "--price-cpu-hour", "0.05");
        assertEquals(0, plan.code(), plan.out());
        assertTrue(plan.out().contains("sizing: profiling partition-00000.npz"), plan.out());
        assertTrue(plan.out().contains("(new, measured "), plan.out());
        assertTrue(plan.out().contains("  option    workers  CPU  batch  predicted  cost"), plan.out());
        Matcher choice = Pattern.compile("\\* choice +(\\d+) +(\\d+) +(\\d+) ").matcher(plan.out());
        assertTrue(choice.find(), plan.out());
        int workers = Integer.parseInt(choice.group(1));
        // least cost meeting a generous deadline: the fewest workers, and the plan that follows is the choice's
        assertEquals(1, workers, plan.out());
        assertTrue(plan.out().contains("choice: 1 worker × "), plan.out());
        assertTrue(plan.out().contains("least cost that meets the deadline"), plan.out());
        assertTrue(plan.out().contains(", 1 workers, plan "), plan.out());

        // the same model, shapes and machine: the profile is kept; a deadline no configuration meets names the flag
        CliTest.Result tooSoon = cli("plan", m.toString(), "--store", store.toString(), "--deadline", "1s");
        assertEquals(2, tooSoon.code(), tooSoon.out());
        assertTrue(tooSoon.out().contains("(kept, measured "), tooSoon.out());
        assertTrue(Pattern.compile("error: --deadline: no configuration finishes within 1s: the fastest, \\d+ workers? × \\d+ CPU,"
                + " batch \\d+, takes \\S+ and costs [\\d,]+ CPU-s: set --deadline to at least \\S+").matcher(tooSoon.out()).find(),
                tooSoon.out());

        CliTest.assertBad(cli("plan", m.toString(), "--store", store.toString(), "--budget", "1"), "error: --budget: is 1.0 but"
                + " no price is known here, so no cost can be checked against it: give --price-cpu-hour");
        CliTest.Result poor = cli("plan", m.toString(), "--store", store.toString(), "--budget", "0.000001", "--price-cpu-hour", "1");
        assertEquals(2, poor.code(), poor.out());
        assertTrue(Pattern.compile("error: --budget: no configuration costs at most 0.000001: the cheapest, 1 worker × 1 CPU, batch \\d+,"
                + " costs [\\d.]+ and takes \\S+: raise --budget to at least [\\d.]+").matcher(poor.out()).find(), poor.out());

        // run with the manifest's own deadline: sized as plan showed, then the prediction beside the actual time
        Path withDeadline = manifest("sized-run", "deadline: 10m\n");
        CliTest.Result run = cli("run", withDeadline.toString(), "--store", store.toString());
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("(kept, measured "), run.out());
        assertTrue(run.out().contains("on 1 worker, 1 at a time with "), run.out());
        assertTrue(run.out().contains("phase: Succeeded"), run.out());
        assertTrue(Pattern.compile("sizing: predicted [\\d.]+ s, took [\\d.]+ s \\([\\d.]+ of predicted\\); cost predicted [\\d,]+"
                + " CPU-s, billed [\\d,]+ CPU-s").matcher(run.out()).find(), run.out());
    }

    @Test
    void aJobOverHdf5PartitionsIsSizedFromItsFirstPartitionReadAsTheWorkerReadsIt() throws Exception {
        String spec = """
                model: {uri: s3://models/astro/redshift.pt, inputs: [images, magnitudes], outputs: [redshift_pred]}
                data: {uri: s3://cosmicai-data/sized-h5/, labels: redshift}
                output: {uri: s3://cosmicai-data/results/sized-h5/}
                deadline: 10m
                """;
        Path m = Files.writeString(tmp.resolve("sized-h5.yaml"), CliTest.job("sized-h5", spec));
        CliTest.Result example = cli("example", m.toString(), "--store", store.toString(), "--partitions", "2", "--samples", "20",
                "--format", "hdf5");
        assertEquals(0, example.code(), example.out());
        CliTest.Result run = cli("run", m.toString(), "--store", store.toString(), "--reprofile");
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("sizing: profiling partition-00000.h5"), run.out());
        assertTrue(run.out().contains("phase: Succeeded") && run.out().contains("progress: 2/2"), run.out());
    }

    @Test
    void badSizingFlagsNameTheFlag() throws Exception {
        Path m = manifest("flags", "");
        CliTest.assertBad(cli("plan", m.toString(), "--store", store.toString(), "--deadline", "soon"),
                "error: --deadline: 'soon' is not a duration: write it as 90s, 10m or 1h30m");
        CliTest.assertBad(cli("plan", m.toString(), "--store", store.toString(), "--budget", "-1"),
                "error: --budget: '-1' is not a positive number");
        CliTest.assertBad(cli("plan", m.toString(), "--store", store.toString(), "--price-cpu-hour", "x"),
                "error: --price-cpu-hour: 'x' is not a non-negative number");
        CliTest.assertBad(cli("run", m.toString(), "--store", store.toString(), "--deadline", "5m", "--parallel", "2"),
                "error: --parallel: with a deadline or budget the sizing chooses the worker processes: leave --parallel out"
                + " (--threads fixes the CPUs per worker), or drop the deadline and budget");
    }
}
