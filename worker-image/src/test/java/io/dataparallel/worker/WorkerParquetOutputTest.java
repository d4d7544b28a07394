package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.OutputFormat;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.format.PartitionFile;
import io.dataparallel.core.format.PartitionFormat;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.testing.FormatsPython;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.output.format parquet through plan, worker, summary and resume: the ONNX classifier over the example Parquet
 * partition writes predictions/toy.parquet.parquet with a column per output and per kept column, the same numbers
 * as the .npz reference; pandas reads it; quality data stays .npz; a rerun finds it done and computes nothing.
 */
class WorkerParquetOutputTest {
    static final Path REF = S3Fixture.repoRoot().resolve("examples/reference");
    static final String OUT = "s3://results/parquet-out/";

    @TempDir
    static Path tmp;
    static S3Fixture s3;
    static JobHarness harness;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Fixture.withExample(tmp.resolve("store"), 0);
        harness = new JobHarness(s3, Files.createDirectories(tmp.resolve("work")));
        s3.put("s3://data/parquet/toy.parquet", REF.resolve("toy-small.parquet"));
        s3.put("s3://models/toy/classifier.onnx", S3Fixture.repoRoot().resolve("examples/models/toy-classifier.onnx"));
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void parquetPredictionsWithKeptColumnsThatAResumedRunFindsDone() throws Exception {
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, "s3://models/toy/classifier.onnx", List.of("features"),
                        List.of("logits", "embedding"), "s3://data/parquet/", "label", OUT, 1, 7)
                .withData(new DataSpec("s3://data/parquet/", null, "label", List.of("label", "features")))
                .withOutput(new OutputSpec(OUT, OutputFormat.parquet)));
        assertEquals(List.of(0), harness.runWorkers(plan));
        assertEquals(0, harness.runSummarizer(plan));

        byte[] written = s3.require(OUT + "predictions/toy.parquet.parquet");
        assertTrue(s3.get(OUT + "predictions/toy.parquet.npz").isEmpty(), "no .npz prediction beside it");
        PartitionFile file = PartitionFormat.PARQUET.reader().open("toy.parquet.parquet", ByteBuffer.wrap(written));
        assertEquals(List.of("logits", "embedding", "label", "features"), file.arrays().stream().map(a -> a.name()).toList());
        Map<String, NpyArray> reference = Npz.read(Files.readAllBytes(REF.resolve("toy-small.predictions.npz")));
        for (String name : List.of("logits", "embedding")) {
            NpyArray ours = file.read(name);
            assertArrayEquals(reference.get(name).shape(), ours.shape(), name);
            double[] a = reference.get(name).toDoubles();
            double[] b = ours.toDoubles();
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 1e-4, name + " " + i);
            }
        }
        PartitionFile input = PartitionFormat.PARQUET.reader().open("toy.parquet",
                ByteBuffer.wrap(Files.readAllBytes(REF.resolve("toy-small.parquet"))));
        for (String kept : List.of("label", "features")) {
            assertEquals(input.read(kept).data(), file.read(kept).data(), kept + " copied unchanged");
            assertArrayEquals(input.read(kept).shape(), file.read(kept).shape(), kept);
        }
        assertTrue(s3.get(OUT + "quality/toy.parquet.npz").isPresent(), "quality data stays .npz");
        assertEquals(50, harness.summary(plan).samples());
        assertEquals(1, harness.summary(plan).partitionsDone());

        // pandas reads what the worker wrote as our reader does
        Path check = Files.createDirectories(tmp.resolve("check"));
        Files.write(check.resolve("toy.parquet"), written);
        List<NpyArray> ours = new ArrayList<>();
        for (String name : List.of("logits", "embedding", "label", "features")) {
            ours.add(file.read(name));
        }
        Files.write(check.resolve("toy.ref.npz"), Npz.toBytes(ours));
        assertTrue(FormatsPython.checkParquet(check).get(0).startsWith("ok toy.parquet: 50 rows, 4 columns"));

        // a rerun finds the prediction done, keeps it and computes nothing
        assertEquals(List.of(0), harness.runWorkers(plan));
        RankResult again = harness.rankResult(plan, 0);
        assertEquals(0, again.computedSamples());
        assertTrue(again.partitions().stream().allMatch(PartitionResult::resumed), again.toString());
        assertArrayEquals(written, s3.require(OUT + "predictions/toy.parquet.parquet"));
        assertEquals(0, harness.runSummarizer(plan));
        assertEquals(50, harness.summary(plan).samples());
    }
}
