package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Summary;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.testing.Mappings;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example partition in every partition format (examples/tools/make_format_examples.py wrote them
 * with h5py, astropy and numpy's tar members from the same arrays) through plan, worker and summary:
 * the same predictions as PyTorch's on the .npz, each written as {@code predictions/<key>.npz}.
 */
class WorkerFormatsTest {
    @TempDir
    static Path tmp;
    static S3Fixture s3;
    static JobHarness harness;
    static final Path REF = S3Fixture.repoRoot().resolve("examples/reference");
    static Map<String, NpyArray> expected;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Fixture.withExample(tmp.resolve("store"), 0);
        harness = new JobHarness(s3, Files.createDirectories(tmp.resolve("work")));
        s3.put("s3://data/h5/part-0.h5", REF.resolve("astro-small.h5"));
        s3.put("s3://data/fits/part-0.fits.gz", REF.resolve("astro-small.fits.gz"));
        s3.put("s3://data/tar/part-0.tar", REF.resolve("astro-small.tar"));
        s3.put("s3://data/mixed/part-0.npz", REF.resolve("astro-small.npz"));
        s3.put("s3://data/mixed/part-0.fits.gz", REF.resolve("astro-small.fits.gz"));
        s3.put("s3://data/mixed/notes.txt", "not a partition".getBytes());
        s3.put("s3://data/parquet/toy.parquet", REF.resolve("toy-small.parquet"));
        s3.put("s3://models/toy/classifier.onnx", S3Fixture.repoRoot().resolve("examples/models/toy-classifier.onnx"));
        expected = Npz.read(Files.readAllBytes(REF.resolve("astro-small.predictions.npz")));
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void hdf5DatasetsByPathWithGroups() {
        runAndCompare("h5", List.of("images", "/phot/magnitudes"), "redshift", List.of("part-0.h5"));
    }

    @Test
    void aRankOfManyPartitionsHoldsAFewPartitionFilesInTmpdirAtATime() throws Exception {
        Assumptions.assumeTrue(Mappings.visible(), "needs /proc/self/maps");
        int partitions = 12;
        for (int i = 0; i < partitions; i++) {
            s3.put("s3://data/h5many/part-" + i + ".h5", REF.resolve("astro-small.h5"));
        }
        Path work = tmp.resolve("work");
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watch = new Thread(() -> {
            while (running.get()) {
                most.accumulateAndGet(partitionFiles(work), Math::max);
                Thread.onSpinWait();
            }
        });
        watch.start();
        try {
            Summary summary = runAndCompare("h5many", List.of("images", "/phot/magnitudes"), "redshift",
                    java.util.stream.IntStream.range(0, partitions).mapToObj(i -> "part-" + i + ".h5").sorted().toList());
            assertEquals(partitions, summary.partitions());
        } finally {
            running.set(false);
            watch.join();
        }
        // a file's blocks are held while it is mapped: one partition computing, one downloaded ahead (the one uploading
        // copies nothing of its input here, so its file is gone already)
        assertTrue(most.get() >= 1 && most.get() <= 2, "partition files mapped at once: " + most.get());
        assertEquals(0, partitionFiles(work), "every partition's file is unmapped once its prediction is written: "
                + Mappings.under(work));
    }

    private static int partitionFiles(Path dir) {
        return (int) Mappings.under(dir).stream().filter(f -> f.contains("/partition-") && f.contains(".part")).count();
    }

    @Test
    void keptArraysAreCopiedIntoThePredictionUnderTheirLastPathSegment() {
        String out = "s3://results/formats-keep/";
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL, List.of("images", "phot/magnitudes"),
                S3Fixture.EXAMPLE_OUTPUTS, "s3://data/h5/", null, out, 1, 16).withData(
                new io.dataparallel.api.spec.DataSpec("s3://data/h5/", null, null, List.of("redshift", "/phot/magnitudes"))));
        assertEquals(List.of(0), harness.runWorkers(plan));
        Map<String, NpyArray> ours = Npz.read(s3.require(out + "predictions/part-0.h5.npz"));
        assertEquals(List.of("redshift_pred", "redshift", "magnitudes"), List.copyOf(ours.keySet()));
        Map<String, NpyArray> input = Npz.read(readBytes(REF.resolve("astro-small.npz")));
        for (String name : List.of("redshift", "magnitudes")) {
            assertEquals(input.get(name).dtype(), ours.get(name).dtype());
            assertEquals(List.of(input.get(name).shape()[0]), List.of(ours.get(name).shape()[0]));
            assertEquals(input.get(name).data(), ours.get(name).data(), name + " copied unchanged");
        }
        if (Mappings.visible()) {
            assertEquals(0, partitionFiles(tmp.resolve("work")), "unmapped once the prediction that copies from it is written");
        }
    }

    @Test
    void fitsImageHduAndTableColumns() {
        runAndCompare("fits", List.of("IMAGES", "MAGNITUDES"), "REDSHIFT", List.of("part-0.fits.gz"));
    }

    @Test
    void webDatasetShardMembersByExtension() {
        runAndCompare("tar", List.of("images.npy", "magnitudes.npy"), "redshift.npy", List.of("part-0.tar"));
    }

    @Test
    void formatsMixWhereEveryPartitionYieldsTheSameNames() {
        // FITS names are matched regardless of case, as astropy does: the npz's 'images' is the FITS file's IMAGES
        Summary summary = runAndCompare("mixed", List.of("images", "magnitudes"), "redshift", List.of("part-0.fits.gz", "part-0.npz"));
        assertEquals(2, summary.partitions());
    }

    @Test
    void parquetColumnsWithAFixedSizeListIntoAnOnnxClassifier() {
        String out = "s3://results/formats-parquet/";
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, "s3://models/toy/classifier.onnx", List.of("features"),
                List.of("logits", "embedding"), "s3://data/parquet/", "label", out, 1, 7));
        assertEquals(List.of(0), harness.runWorkers(plan));
        assertEquals(0, harness.runSummarizer(plan));
        Map<String, NpyArray> reference = Npz.read(readBytes(REF.resolve("toy-small.predictions.npz")));
        Map<String, NpyArray> ours = Npz.read(s3.require(out + "predictions/toy.parquet.npz"));
        for (String name : List.of("logits", "embedding")) {
            double[] a = reference.get(name).toDoubles();
            double[] b = ours.get(name).toDoubles();
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 1e-4, name + " " + i);
            }
        }
        assertEquals(0.8, harness.summary(plan).quality().accuracy(), 1e-12, "the int64 label column");
    }

    private static byte[] readBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Summary runAndCompare(String prefix, List<String> inputs, String labels, List<String> keys) {
        String out = "s3://results/formats-" + prefix + "/";
        Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL, inputs, S3Fixture.EXAMPLE_OUTPUTS,
                "s3://data/" + prefix + "/", labels, out, 1, 16));
        assertEquals(keys, plan.keys());
        assertEquals(List.of(0), harness.runWorkers(plan));
        assertEquals(0, harness.runSummarizer(plan));
        for (String key : keys) {
            String name = key.endsWith(".npz") ? key : key + ".npz";
            Map<String, NpyArray> ours = Npz.read(s3.require(out + "predictions/" + name));
            double max = 0;
            double[] a = expected.get("redshift_pred").toDoubles();
            double[] b = ours.get("redshift_pred").toDoubles();
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            assertTrue(max <= 1e-4, key + ": " + max);
        }
        Summary summary = harness.summary(plan);
        assertEquals(37L * keys.size(), summary.samples());
        assertEquals("regression", summary.quality().task());
        assertTrue(summary.failedPartitions().isEmpty());
        return summary;
    }
}
