package io.dataparallel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataparallel command as a user runs it: local runs, reruns, plans and every kind of bad input. */
class CliTest {
    @TempDir
    static Path tmp;
    static Path store;
    static Path manifest;

    record Result(int code, String out) {
    }

    static Result cli(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    static Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    static String job(String name, String spec) {
        return """
                apiVersion: dataparallel.io/v1alpha1
                kind: InferenceJob
                metadata:
                  name: %s
                spec:
                %s""".formatted(name, spec.indent(2));
    }

    static final String SPEC = """
            model: {uri: s3://models/astro/redshift.pt, inputs: [images, magnitudes], outputs: [redshift_pred]}
            data: {uri: s3://cosmicai-data/small/, labels: redshift}
            output: {uri: s3://cosmicai-data/results/%s/}
            batchSize: 16
            workers: 2
            """;

    @BeforeAll
    static void example() throws Exception {
        store = tmp.resolve("store");
        manifest = write("small.yaml", job("small", SPEC.formatted("small")));
        Result r = cli("example", manifest.toString(), "--store", store.toString(), "--partitions", "3", "--samples", "20");
        assertEquals(0, r.code(), r.out());
        assertTrue(Files.exists(store.resolve("cosmicai-data/small/partition-00002.npz")));
    }

    @Test
    void runsAManifestThenResumesIt() throws Exception {
        Result first = cli("run", manifest.toString(), "--store", store.toString());
        assertEquals(0, first.code(), first.out());
        assertTrue(first.out().contains("phase: Succeeded"), first.out());
        assertTrue(first.out().contains("progress: 3/3"), first.out());
        assertTrue(first.out().contains("samples: 60"), first.out());
        assertTrue(first.out().contains("task: regression"), first.out());
        for (int i = 0; i < 3; i++) {
            assertTrue(Files.exists(store.resolve("cosmicai-data/results/small/predictions/partition-0000" + i + ".npz")));
        }
        assertTrue(Files.exists(store.resolve("cosmicai-data/results/small/report.html")));
        Path results = store.toAbsolutePath().resolve("cosmicai-data/results/small");
        assertTrue(first.out().contains("predictions: s3://cosmicai-data/results/small/predictions/ (folder "
                + results.resolve("predictions") + ")"), first.out());
        assertTrue(first.out().contains("report:      s3://cosmicai-data/results/small/report.html (file "
                + results.resolve("report.html") + ")"), first.out());
        // never 28.909999999999997 or 9.10781817E8
        assertFalse(Pattern.compile("\\.\\d{9,}|\\dE\\d").matcher(first.out()).find(), "numbers rounded for people:\n" + first.out());
        JsonNode firstSummary = summary(results);
        double computeRate = firstSummary.get("compute_samples_per_second").asDouble();
        assertTrue(computeRate > 0, firstSummary.toString());
        JsonNode firstRanks = new ObjectMapper().readTree(Files.readAllBytes(results.resolve("combined_data.json")));
        assertTrue(firstRanks.size() > 0, firstRanks.toString());

        // a rerun with everything done starts no worker and keeps the first run's figures
        Result again = cli("run", manifest.toString(), "--store", store.toString());
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("job default/small: 3 partitions: 3 done earlier (skipped), 0 to run ("), again.out());
        assertTrue(again.out().contains("MB): no worker needs to run"), again.out());
        assertTrue(again.out().contains("progress: 3/3"), again.out());
        assertTrue(again.out().contains("message: all 3 partitions done earlier; nothing to compute"), again.out());
        assertTrue(again.out().contains("this run:    0 samples computed now in 0 partitions, 60 done earlier"), again.out());
        JsonNode all = summary(results);
        assertEquals(3, all.get("partitions_resumed").asInt(), all.toString());
        assertEquals(60, all.get("resumed_samples").asLong(), all.toString());
        assertEquals(0, all.get("computed_samples").asLong(), all.toString());
        // the job's record is the first run's: its figures, its rank results, its cost
        for (String figure : List.of("samples_per_second", "seconds", "cpu_seconds", "throughput_bps", "mean_seconds_per_batch")) {
            assertEquals(firstSummary.get(figure).asDouble(), all.get(figure).asDouble(), 1e-9, figure + " kept:\n" + all);
        }
        assertTrue(all.get("samples_per_second").asDouble() > 0, all.toString());
        assertEquals(firstSummary.get("cost").get("pod_seconds").asDouble(), all.get("cost").get("pod_seconds").asDouble(), 1e-9);
        assertEquals(0, all.get("this_run").get("computed_samples").asLong(), all.toString());
        assertEquals(1, all.get("earlier_runs").size(), "the first run, as it recorded itself: " + all);
        // the same compute figures, now read back from the predictions' metadata (rounded to 0.1 ms there)
        assertEquals(computeRate, all.get("compute_samples_per_second").asDouble(), computeRate * 0.05, all.toString());
        assertEquals(firstRanks, new ObjectMapper().readTree(Files.readAllBytes(results.resolve("combined_data.json"))),
                "CAI's list keeps the first run's rank results, never an empty list");

        // one prediction lost: only its partition runs, on one worker; the other two keep their figures
        Files.delete(results.resolve("predictions/partition-00001.npz"));
        Result partly = cli("run", manifest.toString(), "--store", store.toString());
        assertEquals(0, partly.code(), partly.out());
        assertTrue(partly.out().contains("job default/small: 3 partitions: 2 done earlier (skipped), 1 to run ("), partly.out());
        assertTrue(partly.out().contains("MB) on 1 worker, 1 at a time"), partly.out());
        assertTrue(partly.out().contains("progress: 3/3"), partly.out());
        JsonNode mixed = summary(results);
        assertEquals(2, mixed.get("partitions_resumed").asInt(), mixed.toString());
        assertEquals(20, mixed.get("computed_samples").asLong(), mixed.toString());
        assertEquals(40, mixed.get("resumed_samples").asLong(), mixed.toString());
        assertTrue(mixed.get("compute_samples_per_second").asDouble() > 0, mixed.toString());
        assertEquals(1, mixed.get("earlier_runs").size(), "the first run still; the rerun that computed nothing left no record: " + mixed);
        assertEquals(20, mixed.get("this_run").get("computed_samples").asLong(), mixed.toString());
        assertEquals(firstSummary.get("seconds").asDouble() + mixed.get("this_run").get("seconds").asDouble(),
                mixed.get("seconds").asDouble(), 1e-6, "the job's wall time: both runs'");
        JsonNode ranks = new ObjectMapper().readTree(Files.readAllBytes(results.resolve("combined_data.json")));
        int keptEarlier = 0;
        for (JsonNode r : ranks) {
            String partitions = r.get("partitions").toString();
            if (r.get("plan_hash").asText().equals(mixed.get("plan_hash").asText())) {
                assertTrue(partitions.contains("partition-00001.npz"), "this run's rank computed the lost partition: " + r);
            } else {
                assertTrue(partitions.contains("partition-00000.npz") || partitions.contains("partition-00002.npz"), r.toString());
                keptEarlier++;
            }
        }
        assertTrue(keptEarlier >= 1 && ranks.size() == keptEarlier + 1, "the first run's ranks behind partitions 0 and 2, and"
                + " this run's one: " + ranks);
        assertTrue(partly.out().contains("earlier:     1 run;"), partly.out());
        String report = Files.readString(results.resolve("report.html"));
        assertTrue(report.contains("of them done earlier (skipped)"), "the report says what was done earlier");
        assertEquals(2, report.split("<td>done earlier \\(skipped\\), computed ", -1).length - 1,
                "the resumed partitions' rows show when and how fast they were computed");
    }

    @Test
    void aParquetOutputIsWrittenAndResumedAndAnotherFormatHasOtherPredictions() throws Exception {
        Path parquet = write("parquet.yaml", job("parquet", SPEC.formatted("parquet")
                .replace("results/parquet/}", "results/parquet/, format: parquet}")));
        Result first = cli("run", parquet.toString(), "--store", store.toString());
        assertEquals(0, first.code(), first.out());
        assertTrue(first.out().contains("progress: 3/3"), first.out());
        Path results = store.toAbsolutePath().resolve("cosmicai-data/results/parquet");
        for (int i = 0; i < 3; i++) {
            byte[] file = Files.readAllBytes(results.resolve("predictions/partition-0000" + i + ".npz.parquet"));
            assertEquals("PAR1", new String(file, 0, 4, StandardCharsets.US_ASCII));
            assertFalse(Files.exists(results.resolve("predictions/partition-0000" + i + ".npz")));
            assertTrue(Files.exists(results.resolve("quality/partition-0000" + i + ".npz")), "quality data stays .npz");
        }
        Result again = cli("run", parquet.toString(), "--store", store.toString());
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("job default/parquet: 3 partitions: 3 done earlier (skipped), 0 to run ("), again.out());

        // the same job as .npz: the Parquet predictions are not its own, so every partition runs again beside them
        Path npz = write("parquet-as-npz.yaml", job("parquet", SPEC.formatted("parquet")));
        Result asNpz = cli("run", npz.toString(), "--store", store.toString());
        assertEquals(0, asNpz.code(), asNpz.out());
        assertFalse(asNpz.out().contains("done earlier (skipped)"), asNpz.out());
        assertEquals(60, summary(results).get("computed_samples").asLong());
        assertTrue(Files.exists(results.resolve("predictions/partition-00000.npz")));
        assertTrue(Files.exists(results.resolve("predictions/partition-00000.npz.parquet")));
    }

    @Test
    void theExampleInHdf5WithAnOnnxModelRunsAndMatchesTheNpzExample() throws Exception {
        String spec = SPEC.formatted("h5").replace("astro/redshift.pt", "astro/redshift.onnx").replace("small/", "small-h5/");
        Path m = write("h5.yaml", job("h5", spec));
        Result example = cli("example", m.toString(), "--store", store.toString(), "--partitions", "3", "--samples", "20",
                "--format", "hdf5");
        assertEquals(0, example.code(), example.out());
        Path data = store.resolve("cosmicai-data/small-h5");
        for (int i = 0; i < 3; i++) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(data.resolve("partition-0000" + i + ".h5")), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}, head, "an HDF5 file");
        }
        assertTrue(Files.exists(store.resolve("models/astro/redshift.onnx")), "the example's ONNX twin for an .onnx key");
        Result run = cli("run", m.toString(), "--store", store.toString());
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("progress: 3/3") && run.out().contains("samples: 60"), run.out());
        Path predictions = store.resolve("cosmicai-data/results/h5/predictions");
        for (int i = 0; i < 3; i++) {
            assertTrue(Files.exists(predictions.resolve("partition-0000" + i + ".h5.npz")), "named after the partition");
        }
        // the same synthetic samples as .npz, through the TorchScript model of the same weights: the same quality
        Path npzJob = write("h5-as-npz.yaml", job("h5npz", SPEC.formatted("h5npz").replace("small/", "small-cmp/")));
        assertEquals(0, cli("example", npzJob.toString(), "--store", store.toString(), "--partitions", "3", "--samples", "20").code());
        Result npzRun = cli("run", npzJob.toString(), "--store", store.toString());
        assertEquals(0, npzRun.code(), npzRun.out());
        JsonNode h5 = summary(predictions.getParent()).get("quality");
        JsonNode npz = summary(store.resolve("cosmicai-data/results/h5npz")).get("quality");
        assertEquals(npz.get("mae").asDouble(), h5.get("mae").asDouble(), 1e-4, h5 + " vs " + npz);

        assertBad(cli("example", m.toString(), "--store", store.toString(), "--format", "csv"),
                "--format: 'csv' is not an example data format: use npz or hdf5");
    }

    static JsonNode summary(Path results) {
        try {
            return new ObjectMapper().readTree(results.resolve("summary.json").toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRerunWithAnotherModelOutputsOrPartitionIsRefusedAndRestartRecomputes() throws Exception {
        String spec = SPEC.formatted("prov").replace("astro/redshift.pt", "astro/prov.pt").replace("small/", "prov-data/");
        Path m = write("prov.yaml", job("prov", spec));
        assertEquals(0, cli("example", m.toString(), "--store", store.toString(), "--partitions", "3", "--samples", "20").code());
        Result first = cli("run", m.toString(), "--store", store.toString());
        assertEquals(0, first.code(), first.out());
        Path prediction = store.resolve("cosmicai-data/results/prov/predictions/partition-00001.npz");
        byte[] before = Files.readAllBytes(prediction);

        // the same network saved again: other bytes, so another model as far as the store can tell
        Path model = store.resolve("models/astro/prov.pt");
        upload(model, withZipComment(Files.readAllBytes(model), "retrained"));
        Result refused = cli("run", m.toString(), "--store", store.toString());
        assertBad(refused, "spec.model.uri: the model changed since the predictions under "
                + "s3://cosmicai-data/results/prov/predictions/ were written (etag ");
        assertTrue(refused.out().contains("--restart"), refused.out());
        assertArrayEquals(before, Files.readAllBytes(prediction), "a refused run writes nothing");

        Result restarted = cli("run", m.toString(), "--store", store.toString(), "--restart");
        assertEquals(0, restarted.code(), restarted.out());
        assertTrue(restarted.out().contains("progress: 3/3"), restarted.out());
        assertFalse(restarted.out().contains("samplesPerSecond: 0\n"), "every partition recomputed:\n" + restarted.out());

        // how the work is spread changes no result: it resumes
        Path spread = write("prov-spread.yaml", job("prov", spec.replace("batchSize: 16", "batchSize: 4").replace("workers: 2", "workers: 3")));
        Result resumed = cli("run", spread.toString(), "--store", store.toString());
        assertEquals(0, resumed.code(), resumed.out());
        assertTrue(resumed.out().contains("all 3 partitions done earlier; nothing to compute"), "nothing recomputed:\n" + resumed.out());
        assertFalse(resumed.out().contains("samplesPerSecond: 0\n"), "the restarted run's figures kept:\n" + resumed.out());

        Path renamed = write("prov-renamed.yaml", job("prov", spec.replace("[redshift_pred]", "[z]")));
        assertBad(cli("run", renamed.toString(), "--store", store.toString()),
                "spec.model.outputs: changed since the predictions under s3://cosmicai-data/results/prov/predictions/ were written"
                        + " ([redshift_pred] -> [z])");

        // a partition rewritten under the same key: the planner refuses, before any worker starts
        Path data = store.resolve("cosmicai-data/prov-data/partition-00002.npz");
        upload(data, Files.readAllBytes(store.resolve("cosmicai-data/prov-data/partition-00000.npz")));
        assertBad(cli("run", m.toString(), "--store", store.toString()), "spec.data.uri: partition 'partition-00002.npz' changed since "
                + "s3://cosmicai-data/results/prov/predictions/partition-00002.npz was written");
        assertBad(cli("plan", m.toString(), "--store", store.toString()), "spec.data.uri: partition 'partition-00002.npz' changed");
    }

    /**
     * Replaces an object as an upload would. A new file, not the old one overwritten: the folder
     * store keeps an object's ETag in the file's extended attributes, which an overwrite keeps.
     */
    static void upload(Path object, byte[] bytes) throws Exception {
        Files.delete(object);
        Files.write(object, bytes);
    }

    /** A zip file (TorchScript models are zip files) with {@code comment} set: other bytes, same content. */
    static byte[] withZipComment(byte[] zip, String comment) {
        byte[] text = comment.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(zip, zip.length + text.length);
        out[zip.length - 2] = (byte) text.length; // the end-of-central-directory record's comment length, little-endian
        System.arraycopy(text, 0, out, zip.length, text.length);
        return out;
    }

    @Test
    void planShowsThePartitionsOfEachRank() throws Exception {
        // a job of its own: another test runs `small`, after which its plan shows what is left
        Path fresh = write("planned.yaml", job("planned", SPEC.formatted("planned")));
        Result r = cli("plan", fresh.toString(), "--store", store.toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("job default/planned: 3 partitions, "), r.out());
        assertTrue(r.out().contains("rank 0: 2 partitions") || r.out().contains("rank 0: 1 partitions"), r.out());
        assertTrue(r.out().contains("rank 1:"), r.out());
    }

    @Test
    void badManifestsNameTheFieldAndExit2() throws Exception {
        assertBad(cli("run", tmp.resolve("missing.yaml").toString()), "does not exist");
        assertBad(cli("run", write("notyaml.yaml", "spec: [unclosed").toString()), "not valid YAML");
        assertBad(cli("run", write("kind.yaml", job("k", SPEC.formatted("k")).replace("kind: InferenceJob", "kind: Job")).toString()),
                "kind: is 'Job'");
        assertBad(cli("run", write("field.yaml", job("f", SPEC.formatted("f") + "batchsize: 3\n")).toString()),
                "spec.batchsize: is not a field of InferenceJob");
        assertBad(cli("run", write("type.yaml", job("t", SPEC.formatted("t").replace("workers: 2", "workers: many"))).toString()),
                "spec.workers");
        assertBad(cli("run", write("name.yaml", job("Bad_Name", SPEC.formatted("n"))).toString()), "metadata.name");
        assertBad(cli("run", write("limit.yaml", job("l", SPEC.formatted("l").replace("labels: redshift", "fileLimit: 9"))).toString(),
                "--store", store.toString()), "spec.data.fileLimit: is 9 but only 3");
        Path range = write("range.yaml", job("r", SPEC.formatted("r").replace("workers: 2", "workers: 0")));
        assertBad(cli("run", range.toString()), "spec.workers: is 0: use a value from 1 to 10000");
        assertBad(cli("plan", range.toString()), "spec.workers: is 0: use a value from 1 to 10000");
        assertBad(cli("run", write("nodata.yaml", job("d", SPEC.formatted("d").replace("small/", "nothing/"))).toString(),
                "--store", store.toString()), "spec.data.uri: no objects under s3://cosmicai-data/nothing/");
        assertBad(cli("run", write("badtimeout.yaml", job("t", SPEC.formatted("t") + "timeout: 10\n")).toString()),
                "spec.timeout: '10' is not a duration");
        assertBad(cli("run", manifest.toString(), "--paralel", "2"), "--paralel: is not an option");
    }

    @Test
    void aModelThatIsNotThereIsRefusedWithTheField() throws Exception {
        Path m = write("nomodel.yaml", job("nomodel", SPEC.formatted("nomodel").replace("astro/redshift.pt", "astro/missing.pt")));
        assertBad(cli("run", m.toString(), "--store", store.toString()), "spec.model.uri: s3://models/astro/missing.pt does not exist");
        assertBad(cli("plan", m.toString(), "--store", store.toString()), "spec.model.uri: s3://models/astro/missing.pt does not exist");
    }

    @Test
    void workersPastTheTimeoutAreStoppedAndTheJobFailsNamingIt() throws Exception {
        // a worker's JVM and libtorch take seconds to start: none finishes within one second
        Path m = write("timeout.yaml", job("timeout", SPEC.formatted("timeout") + "timeout: 1s\n"));
        Result r = cli("run", m.toString(), "--store", store.toString(), "--parallel", "1");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("phase: Failed"), r.out());
        assertTrue(r.out().contains("the workers ran past spec.timeout (1s) and were stopped"), r.out());
        assertTrue(r.out().contains("not started before spec.timeout") || r.out().contains("stopped at spec.timeout"), r.out());
    }

    @Test
    void helpListsEveryCommandAndEachCommandItsOwn() {
        Result all = cli("help");
        assertEquals(0, all.code());
        assertTrue(all.out().contains("dataparallel run MANIFEST") && all.out().contains("dataparallel plan")
                && all.out().contains("dataparallel example"), all.out());
        assertEquals(all.out(), cli("--help").out());
        for (String command : new String[] {"run", "plan", "example"}) {
            Result one = cli(command, "--help");
            assertEquals(0, one.code(), one.out());
            assertTrue(one.out().startsWith("usage:\n  dataparallel " + command + " "), one.out());
            assertEquals(1, one.out().split("  dataparallel ", -1).length - 1, "only " + command + "'s usage:\n" + one.out());
            assertEquals(one.out(), cli(command, "-h").out());
        }
        assertTrue(cli("run", "--help").out().contains("--restart"));
        assertTrue(cli("plan", "--help").out().contains("--check"));
        assertEquals(2, cli("frobnicate").code());
    }

    @Test
    void versionIsTheProjectVersion() {
        Result r = cli("--version");
        assertEquals(0, r.code(), r.out());
        // the build fills the version in: a literal ${project.version} means the resource was not filtered
        assertTrue(r.out().matches("dataparallel \\d+\\.\\d+\\.\\d+\\S*\n"), r.out());
    }

    @Test
    void planCheckRunsOneBatchThroughTheModel() {
        Result r = cli("plan", manifest.toString(), "--store", store.toString(), "--check");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("model: s3://models/astro/redshift.pt ("), r.out());
        assertTrue(r.out().contains("check: the first batch of partition-00000.npz: 16 of its 20 samples"), r.out());
        assertTrue(r.out().contains("  input  images: float32 [16, 5, 32, 32]"), r.out());
        assertTrue(r.out().contains("  input  magnitudes: float32 [16, 5]"), r.out());
        assertTrue(r.out().contains("  output redshift_pred: float32 [16, 1]"), r.out());
        assertTrue(r.out().contains("check: passed"), r.out());
    }

    @Test
    void planCheckWithTheWrongOutputsNamesSpecModelOutputs() throws Exception {
        Path m = write("outputs.yaml", job("outputs", SPEC.formatted("outputs").replace("[redshift_pred]", "[redshift_pred, sigma]")));
        Result r = cli("plan", m.toString(), "--store", store.toString(), "--check");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("  input  images: float32 [16, 5, 32, 32]"), r.out());
        assertTrue(r.out().contains("error: spec.model.outputs: names 2 outputs [redshift_pred, sigma] but the model returned 1"), r.out());
        assertFalse(r.out().contains("\tat "), r.out());
        // without --check the plan is printed and nothing runs
        assertEquals(0, cli("plan", m.toString(), "--store", store.toString()).code());
    }

    @Test
    void planCheckWithTheInputsSwappedNamesSpecModelInputs() throws Exception {
        Path m = write("swapped.yaml", job("swapped", SPEC.formatted("swapped").replace("[images, magnitudes]", "[magnitudes, images]")));
        Result r = cli("plan", m.toString(), "--store", store.toString(), "--check");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("error: spec.model.inputs: the model rejected partition 'partition-00000.npz'"), r.out());
    }

    static void assertBad(Result r, String expected) {
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().startsWith("error: "), r.out());
        assertTrue(r.out().contains(expected), "'" + r.out() + "' should contain '" + expected + "'");
        assertFalse(r.out().contains("\tat "), "no stack trace: " + r.out());
    }
}
