package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.core.Json;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example model and a partition made by PyTorch: our predictions must match PyTorch's. */
class WorkerEndToEndTest {
    @TempDir
    static Path tmp;
    static S3Fixture s3;
    static JobHarness harness;
    static final Path EXAMPLES = S3Fixture.repoRoot().resolve("examples");

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Fixture.withExample(tmp.resolve("store"), 2);
        harness = new JobHarness(s3, Files.createDirectories(tmp.resolve("work")));
        s3.put("s3://models/toy/classifier.pt", EXAMPLES.resolve("models/toy-classifier.pt"));
        s3.put("s3://models/toy/classifier.onnx", EXAMPLES.resolve("models/toy-classifier.onnx"));
        s3.put("s3://models/astro/redshift.onnx", EXAMPLES.resolve("models/astro-redshift.onnx"));
        s3.put("s3://data/astro/notes.txt", "not a partition".getBytes());
        s3.put("s3://data/toy/only.npz", EXAMPLES.resolve("reference/toy-small.npz"));
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void predictionsMatchPyTorchAndOutputsAreCaiCompatible() throws Exception {
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL,
                S3Fixture.EXAMPLE_INPUTS, S3Fixture.EXAMPLE_OUTPUTS, S3Fixture.EXAMPLE_DATA, "redshift",
                S3Fixture.EXAMPLE_OUTPUT, 2, 16));
        assertEquals(List.of(0, 0), harness.runWorkers(plan));
        assertEquals(0, harness.runSummarizer(plan));

        Map<String, NpyArray> reference = read(Files.readAllBytes(EXAMPLES.resolve("reference/astro-small.predictions.npz")));
        for (String key : List.of("part-0.npz", "part-1.npz")) {
            Map<String, NpyArray> ours = read(s3.require("s3://results/astro/predictions/" + key));
            assertEquals(List.of("redshift_pred"), List.copyOf(ours.keySet()));
            assertEquals(List.of(37L, 1L), List.of(ours.get("redshift_pred").shape()[0], ours.get("redshift_pred").shape()[1]));
            assertTrue(maxAbsDiff(reference.get("redshift_pred").toDoubles(), ours.get("redshift_pred").toDoubles()) <= 1e-4);
        }

        JsonNode combined = Json.MAPPER.readTree(s3.require("s3://results/astro/combined_data.json"));
        assertEquals(2, combined.size());
        for (JsonNode rank : combined) {
            for (String field : RankResult.CAI_FIELDS) {
                assertTrue(rank.has(field), "combined_data.json lacks CAI field " + field);
            }
            assertEquals(3, rank.get("num_batches").asInt()); // 37 samples, batch 16: 16 + 16 + 5
            assertEquals("cpu", rank.get("device").asText());
            assertEquals(2, rank.get("threads").asInt());
            assertS3RequestsConsistent(rank, 1);
        }
        Summary summary = harness.summary(plan);
        assertEquals(74, summary.samples());
        assertEquals(2, summary.partitions());
        assertEquals(2, summary.workers());
        assertTrue(summary.failedPartitions().isEmpty());
        assertTrue(summary.samplesPerSecond() > 0 && summary.computeSamplesPerSecond() > 0 && summary.cpuSeconds() > 0);
        assertEquals("regression", summary.quality().task());
        assertEquals(74, summary.quality().samples());
        assertTrue(summary.quality().rmse() >= summary.quality().mae());
    }

    /** CAI's s3_* fields: at least one request per partition, min <= avg <= max, timestamps in order. */
    static void assertS3RequestsConsistent(JsonNode rank, int partitions) {
        assertEquals(S3Fixture.EXAMPLE_DATA, rank.get("data_path").asText());
        assertEquals(S3Fixture.EXAMPLE_OUTPUT, rank.get("result_path").asText());
        long requests = rank.get("s3_num_requests").asLong();
        // per partition: the provenance HEAD, the GET, the quality PUT and the prediction PUT
        assertEquals(4L * partitions, requests);
        double min = rank.get("s3_min_time").asDouble();
        double avg = rank.get("s3_avg_time").asDouble();
        double max = rank.get("s3_max_time").asDouble();
        double total = rank.get("s3_total_time").asDouble();
        assertTrue(0 < min && min <= avg && avg <= max && max <= total, min + " <= " + avg + " <= " + max + " <= " + total);
        assertEquals(total / requests, avg, 2e-6, "avg = total / count, both written to 6 decimals");
        double first = rank.get("s3_first_request_time").asDouble();
        double last = rank.get("s3_last_response_time").asDouble();
        assertTrue(first > 1.7e9 && first <= last && last <= rank.get("finished_ms").asDouble() / 1000.0,
                "epoch seconds in order: " + first + ", " + last);
    }

    @Test
    void classificationWithTwoOutputsReportsAccuracy() throws Exception {
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, "s3://models/toy/classifier.pt",
                List.of("features"), List.of("logits", "embedding"), "s3://data/toy/", "label", "s3://results/toy/", null, 7));
        assertEquals(List.of(0), harness.runWorkers(plan));
        assertEquals(0, harness.runSummarizer(plan));
        Map<String, NpyArray> reference = read(Files.readAllBytes(EXAMPLES.resolve("reference/toy-small.predictions.npz")));
        Map<String, NpyArray> ours = read(s3.require("s3://results/toy/predictions/only.npz"));
        assertEquals(List.of("logits", "embedding"), List.copyOf(ours.keySet()));
        for (String name : List.of("logits", "embedding")) {
            assertTrue(maxAbsDiff(reference.get(name).toDoubles(), ours.get(name).toDoubles()) <= 1e-4, name);
        }
        Summary summary = harness.summary(plan);
        assertEquals("classification", summary.quality().task());
        assertEquals(0.8, summary.quality().accuracy(), 1e-12); // the reference labels are 40 of 50 right
    }

    @Test
    void anOnnxModelRunsAsItsTorchScriptTwinAndPredictionsRecordItsFormat() throws Exception {
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, "s3://models/astro/redshift.onnx",
                S3Fixture.EXAMPLE_INPUTS, S3Fixture.EXAMPLE_OUTPUTS, S3Fixture.EXAMPLE_DATA, "redshift",
                "s3://results/astro-onnx/", 2, 16));
        assertEquals("ONNX", plan.model().format());
        assertEquals(List.of(0, 0), harness.runWorkers(plan));
        assertEquals(0, harness.runSummarizer(plan));
        Map<String, NpyArray> reference = read(Files.readAllBytes(EXAMPLES.resolve("reference/astro-small.predictions.npz")));
        for (String key : List.of("part-0.npz", "part-1.npz")) {
            String uri = "s3://results/astro-onnx/predictions/" + key;
            Map<String, NpyArray> ours = read(s3.require(uri));
            assertEquals(List.of("redshift_pred"), List.copyOf(ours.keySet()));
            assertTrue(maxAbsDiff(reference.get("redshift_pred").toDoubles(), ours.get("redshift_pred").toDoubles()) <= 1e-4);
            String model = s3.store().head(io.dataparallel.api.spec.S3Uri.parse("t", uri), "t").orElseThrow().metadata()
                    .get(io.dataparallel.core.output.OutputLayout.META_MODEL);
            assertEquals("ONNX:" + plan.model().etag(), model, "the prediction records the model's format with its ETag");
        }
        assertEquals(74, harness.summary(plan).samples());
    }

    @Test
    void anOnnxClassifierWithoutOutputNamesStoresTheGraphsOwn() throws Exception {
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, "s3://models/toy/classifier.onnx",
                List.of("features"), null, "s3://data/toy/", "label", "s3://results/toy-onnx/", null, 7));
        assertEquals(List.of(0), harness.runWorkers(plan));
        assertEquals(0, harness.runSummarizer(plan));
        Map<String, NpyArray> reference = read(Files.readAllBytes(EXAMPLES.resolve("reference/toy-small.predictions.npz")));
        Map<String, NpyArray> ours = read(s3.require("s3://results/toy-onnx/predictions/only.npz"));
        assertEquals(List.of("logits", "embedding"), List.copyOf(ours.keySet()), "the graph's output names");
        for (String name : List.of("logits", "embedding")) {
            assertTrue(maxAbsDiff(reference.get(name).toDoubles(), ours.get(name).toDoubles()) <= 1e-4, name);
        }
        assertEquals(0.8, harness.summary(plan).quality().accuracy(), 1e-12);
    }

    static Map<String, NpyArray> read(byte[] npz) {
        return Npz.read(npz);
    }

    static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
