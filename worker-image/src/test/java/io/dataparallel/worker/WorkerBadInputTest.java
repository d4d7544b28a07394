package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.core.Json;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input ends with exit code 3 and one message naming the field (or partition)
 * and the fix; what was already written stays as it was. A partition's own bad input costs
 * only that partition: the rank computes its others, then exits 3.
 */
class WorkerBadInputTest {
    @TempDir
    static Path tmp;
    static S3Fixture s3;
    static JobHarness harness;
    static int cases;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Fixture.withExample(tmp.resolve("store"), 0);
        harness = new JobHarness(s3, Files.createDirectories(tmp.resolve("work")));
        s3.createBucket("bad");
        s3.put("s3://bad/not-torchscript.pt", zipOf("hello.txt", "a zip, as TorchScript is, holding no model"));
        s3.put("s3://bad/not-a-model.pt", "these bytes are neither a zip archive nor a protobuf".getBytes());
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    /** Uploads {@code partitions} under a fresh prefix, plans, runs one worker; returns its exit code and progress. */
    static Outcome run(Map<String, byte[]> partitions, UnaryOperator<InferenceJobSpec> change) {
        String name = "case" + (++cases);
        partitions.forEach((key, bytes) -> s3.put("s3://bad/" + name + "/data/" + key, bytes));
        InferenceJobSpec spec = change.apply(JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL, S3Fixture.EXAMPLE_INPUTS,
                null, "s3://bad/" + name + "/data/", null, "s3://bad/" + name + "/out/", 1, 8));
        Plan plan = harness.plan(JobHarness.JOB, spec);
        int code = harness.runWorkers(plan).get(0);
        Progress progress = s3.get("s3://bad/" + name + "/out/progress/0.json").map(b -> Json.read(b, Progress.class)).orElse(null);
        return new Outcome(code, progress, plan, "s3://bad/" + name + "/out/");
    }

    record Outcome(int code, Progress progress, Plan plan, String out) {
        void failsWith(String... parts) {
            assertEquals(WorkerExit.BAD_INPUT.code(), code, "exit code");
            assertEquals(Progress.FAILED, progress.state());
            for (String part : parts) {
                assertTrue(progress.error().contains(part), "'" + progress.error() + "' should mention '" + part + "'");
            }
        }
    }

    static byte[] partition(NpyArray... arrays) {
        return Npz.toBytes(List.of(arrays));
    }

    static NpyArray floats(String name, long... shape) {
        int n = (int) NpyArray.elementCount(shape);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (i % 17) / 17f;
        }
        return NpyArray.ofFloats(name, shape, values);
    }

    static byte[] good(int samples) {
        return CaiDataGenerator.partition(5, samples, samples);
    }

    @Test
    void aCorruptPartitionCostsOnlyItselfAndTheRankStillFails() {
        Outcome first = run(Map.of("a.npz", good(4), "b.npz", "garbage, not a zip".getBytes(), "c.npz", good(3)), s -> s);
        first.failsWith("b.npz", "cannot be read as .npz", "numpy.savez");
        assertEquals("b.npz", first.progress().failedPartition());
        assertEquals(List.of("b.npz"), first.progress().failedPartitions().stream().map(FailedPartition::partition).toList());
        assertEquals(2, first.progress().partitionsDone(), "the partition after the bad one was computed");
        byte[] a = s3.require(first.out() + "predictions/a.npz");
        assertTrue(s3.get(first.out() + "predictions/c.npz").isPresent());
        RankResult rank = Json.read(s3.require(first.out() + "ranks/0.json"), RankResult.class);
        assertEquals(7, rank.samples());
        assertEquals(1, rank.failedPartitions().size());
        assertTrue(rank.failedPartitions().get(0).reason().contains("cannot be read as .npz"));

        // a retry skips what is done and fails the bad partition again, alone
        assertEquals(WorkerExit.BAD_INPUT.code(), harness.runWorkers(first.plan()).get(0));
        assertArrayEquals(a, s3.require(first.out() + "predictions/a.npz"));
        assertTrue(s3.get(first.out() + "predictions/b.npz").isEmpty());

        assertEquals(0, harness.runSummarizer(first.plan()));
        Summary summary = harness.summary(first.plan());
        assertEquals(List.of(0), summary.failedWorkers(), "a rank that exited 3 is a failed worker, as the Job counts it");
        assertEquals(1, summary.failedPartitions().size());
        assertEquals("b.npz", summary.failedPartitions().get(0).partition());
        assertTrue(summary.failedPartitions().get(0).reason().contains("cannot be read as .npz"));
        assertEquals(2, summary.partitionsDone());
        assertEquals(7, summary.samples());
    }

    @Test
    void aPartitionTheModelRejectsCostsOnlyItself() {
        Outcome outcome = run(Map.of("a.npz", good(3), "b.npz", partition(floats("images", 3, 2, 32, 32), floats("magnitudes", 3, 5)),
                "c.npz", good(2)), s -> s);
        outcome.failsWith("the model rejected partition 'b.npz'", "channels");
        assertTrue(s3.get(outcome.out() + "predictions/c.npz").isPresent());
        assertEquals(List.of("b.npz"), outcome.progress().failedPartitions().stream().map(FailedPartition::partition).toList());
    }

    @Test
    void aSpecEveryPartitionFailsStopsTheRankOnceWithOneMessage() {
        Outcome outcome = run(Map.of("a.npz", good(2), "b.npz", good(3), "c.npz", good(4)),
                s -> withModel(s, s.model().uri(), List.of("images"), null));
        outcome.failsWith("spec.model.inputs", "forward", "model or spec is at fault");
        assertTrue(s3.get(outcome.out() + "ranks/0.json").isEmpty(), "the rank stopped: no result");
        assertTrue(outcome.progress().failedPartitions().size() < 3, "it stopped before trying every partition");
        assertEquals(0, harness.runSummarizer(outcome.plan()));
        Summary summary = harness.summary(outcome.plan());
        assertEquals(3, summary.failedPartitions().size());
        assertEquals(1, summary.failedPartitions().stream().map(FailedPartition::reason).distinct().count(), "one message");
    }

    @Test
    void aModelThatCannotLoadFailsOnceBeforeAnyPartition() {
        Outcome outcome = run(Map.of("a.npz", good(2), "b.npz", good(3)),
                s -> withModel(s, "s3://bad/not-torchscript.pt", s.model().inputs(), null));
        outcome.failsWith("spec.model.uri", "not a TorchScript model");
        assertTrue(outcome.progress().failedPartitions().isEmpty());
        assertTrue(s3.get(outcome.out() + "ranks/0.json").isEmpty());
    }

    @Test
    void missingInputArray() {
        run(Map.of("p.npz", partition(floats("images", 3, 5, 32, 32))), s -> s)
                .failsWith("spec.model.inputs", "no array 'magnitudes'", "images");
    }

    @Test
    void missingLabels() {
        run(Map.of("p.npz", good(3)), s -> withLabels(s, "z_true")).failsWith("spec.data.labels", "no array 'z_true'");
    }

    @Test
    void arraysWithDifferentSampleCounts() {
        run(Map.of("p.npz", partition(floats("images", 3, 5, 32, 32), floats("magnitudes", 4, 5))), s -> s)
                .failsWith("spec.model.inputs", "magnitudes", "same first dimension");
    }

    @Test
    void shapeTheModelRejects() {
        run(Map.of("p.npz", partition(floats("images", 3, 2, 32, 32), floats("magnitudes", 3, 5))), s -> s)
                .failsWith("spec.model.inputs", "the model rejected partition 'p.npz'", "images float32 (3, 2, 32, 32)", "channels");
    }

    @Test
    void dtypeTheModelRejects() {
        ByteBuffer doubles = ByteBuffer.allocate(3 * 5 * 32 * 32 * 8).order(ByteOrder.LITTLE_ENDIAN);
        NpyArray images = new NpyArray("images", DType.FLOAT64, new long[] {3, 5, 32, 32}, doubles);
        run(Map.of("p.npz", partition(images, floats("magnitudes", 3, 5))), s -> s)
                .failsWith("spec.model.inputs", "images float64 (3, 5, 32, 32)", "dtype and shape it expects");
    }

    @Test
    void modelThatIsNotTorchScript() {
        run(Map.of("p.npz", good(2)), s -> withModel(s, "s3://bad/not-torchscript.pt", s.model().inputs(), null))
                .failsWith("spec.model.uri", "not a TorchScript model", "torch.jit");
    }

    @Test
    void modelOfNoKnownFormatIsFoundByThePlanner() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> run(Map.of("p.npz", good(2)), s -> withModel(s, "s3://bad/not-a-model.pt", s.model().inputs(), null)));
        assertEquals("spec.model.uri", e.field());
        assertTrue(e.getMessage().contains("neither a TorchScript archive nor an ONNX model"), e.getMessage());
        assertTrue(e.getMessage().contains("torch.onnx.export"), e.getMessage());
    }

    /** A zip archive of one text entry. */
    static byte[] zipOf(String entry, String text) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(entry));
            zip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void modelThatDoesNotExistIsFoundByThePlanner() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> run(Map.of("p.npz", good(2)), s -> withModel(s, "s3://bad/missing.pt", s.model().inputs(), null)));
        assertEquals("spec.model.uri", e.field());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void fewerInputsThanTheModelTakes() {
        run(Map.of("p.npz", good(2)), s -> withModel(s, s.model().uri(), List.of("images"), null))
                .failsWith("spec.model.inputs", "forward");
    }

    @Test
    void moreOutputNamesThanTheModelReturns() {
        run(Map.of("p.npz", good(2)), s -> withModel(s, s.model().uri(), s.model().inputs(), List.of("z", "sigma")))
                .failsWith("spec.model.outputs", "returned 1", "one name per returned tensor");
    }

    @Test
    void zeroByteObject() {
        run(Map.of("empty.npz", new byte[0]), s -> s).failsWith("empty.npz", "zero-byte");
    }

    @Test
    void gpuAskedForWhereThereIsNone() {
        run(Map.of("p.npz", good(2)), s -> s.withDevice(Device.gpu)).failsWith("spec.device", "no CUDA GPU");
    }

    @Test
    void wrongCredentials() {
        String name = "creds";
        s3.put("s3://bad/" + name + "/data/p.npz", good(2));
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL, S3Fixture.EXAMPLE_INPUTS,
                null, "s3://bad/" + name + "/data/", null, "s3://bad/" + name + "/out/", 1, 8));
        Map<String, String> env = harness.env(harness.writePlan(plan), 0, 1);
        env.put(WorkerLaunch.SECRET_ACCESS_KEY, "wrong");
        assertEquals(WorkerExit.BAD_INPUT.code(), WorkerMain.run(WorkerLaunch.WORKER, env, System.currentTimeMillis()));
    }

    @Test
    void worldSizeThatDoesNotMatchThePlan() {
        Outcome ok = run(Map.of("p.npz", good(2)), s -> s);
        Map<String, String> env = harness.env(harness.writePlan(ok.plan()), 0, 2);
        assertEquals(WorkerExit.BAD_INPUT.code(), WorkerMain.run(WorkerLaunch.WORKER, env, System.currentTimeMillis()));
    }

    @Test
    void aStoreThatIsDownMeansRetryNotBadInput() {
        Outcome ok = run(Map.of("p.npz", good(2)), s -> s);
        InferenceJobSpec s = ok.plan().spec();
        InferenceJobSpec unreachable = s.withS3(new S3Spec("http://127.0.0.1:9", null, true, null));
        Plan p = ok.plan();
        Plan down = new Plan(p.version(), p.job(), unreachable, p.worldSize(), p.keys(), p.sizes(), p.etags(), p.rankStarts(), p.notes(),
                p.model());
        assertEquals(WorkerExit.RETRY.code(), harness.runWorkers(down).get(0));
    }

    @Test
    void partitionChangedAfterPlanning() {
        String name = "changed";
        s3.put("s3://bad/" + name + "/data/p.npz", good(2));
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL, S3Fixture.EXAMPLE_INPUTS,
                null, "s3://bad/" + name + "/data/", null, "s3://bad/" + name + "/out/", 1, 8));
        s3.put("s3://bad/" + name + "/data/p.npz", good(3));
        assertEquals(WorkerExit.BAD_INPUT.code(), harness.runWorkers(plan).get(0));
        Progress progress = Json.read(s3.require("s3://bad/" + name + "/out/progress/0.json"), Progress.class);
        assertTrue(progress.error().contains("changed under spec.data.uri since the job was planned"), progress.error());
    }

    @Test
    void nanValuesAreDataNotErrors() {
        float[] images = new float[2 * 5 * 32 * 32];
        images[7] = Float.NaN;
        Outcome outcome = run(Map.of("p.npz", partition(NpyArray.ofFloats("images", new long[] {2, 5, 32, 32}, images),
                floats("magnitudes", 2, 5))), s -> s);
        assertEquals(0, outcome.code());
        double[] predictions = Npz.read(s3.require(outcome.out() + "predictions/p.npz")).get("predictions").toDoubles();
        assertTrue(Double.isNaN(predictions[0]), "NaN input flows to the output");
        assertTrue(!Double.isNaN(predictions[1]), "other samples are unaffected");
    }

    @Test
    void partitionWithNoSamplesGivesAnEmptyPrediction() {
        Outcome outcome = run(Map.of("p.npz", good(0)), s -> s);
        assertEquals(0, outcome.code());
        assertEquals(0, Npz.read(s3.require(outcome.out() + "predictions/p.npz")).get("predictions").rows());
    }

    static InferenceJobSpec withModel(InferenceJobSpec s, String uri, List<String> inputs, List<String> outputs) {
        return s.withModel(new ModelSpec(uri, inputs, outputs));
    }

    static InferenceJobSpec withLabels(InferenceJobSpec s, String labels) {
        return s.withData(new DataSpec(s.data().uri(), null, labels));
    }

}
