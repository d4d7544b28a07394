package io.dataparallel.cli;

import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.format.PartitionFormat;
import io.dataparallel.core.s3.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The example: the CAI-shaped model from {@code examples/models} (TorchScript, or its ONNX twin where the manifest's
 * model key ends in {@code .onnx}) and synthetic CAI-shaped partitions ({@code .npz} or HDF5), written where a
 * manifest says the model and data are.
 */
final class ExampleData {
    private static final int DEFAULT_PARTITIONS = 8;
    private static final int DEFAULT_SAMPLES = 1024;
    private static final long SEED = 2026;

    private ExampleData() {
    }

    /**
     * Writes the example model and partitions where {@code spec} points, keeping whatever is
     * there, and says which on {@code out}. {@code partitions} defaults to spec.data.fileLimit,
     * else {@link #DEFAULT_PARTITIONS}; {@code samples} to {@link #DEFAULT_SAMPLES}.
     */
    static void seed(LocalStore local, InferenceJobSpec spec, Integer partitions, Integer samples, PartitionFormat format,
                     PrintStream out) {
        S3Uri model = S3Uri.parse("spec.model.uri", spec.model().uri());
        S3Uri data = S3Uri.parse("spec.data.uri", spec.data().uri()).asPrefix();
        local.ensureBucket(model);
        local.ensureBucket(data);
        out.println(writeModel(local.store(), model) ? "example: wrote the example model to " + model
                : "example: " + model + " exists; kept it");
        int n = partitions != null ? partitions : spec.data().fileLimit() != null ? spec.data().fileLimit() : DEFAULT_PARTITIONS;
        int s = samples != null ? samples : DEFAULT_SAMPLES;
        out.println(writePartitions(local.store(), data, n, s, format)
                ? "example: wrote " + n + " CAI-shaped " + format.title() + " partitions of " + s + " samples to " + data
                : "example: " + data + " holds objects already; kept them");
    }

    /** Writes the example model to {@code model} unless something is there already. */
    private static boolean writeModel(ObjectStore store, S3Uri model) {
        if (store.head(model, "spec.model.uri").isPresent()) {
            return false;
        }
        // the model's URI tells which of the example's twins to write: an .onnx key gets the ONNX export
        String file = model.key().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? "astro-redshift.onnx" : "astro-redshift.pt";
        try (InputStream in = ExampleData.class.getResourceAsStream("/examples/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the example model is missing from the CLI jar; rebuild with ./dataparallel --rebuild");
            }
            store.put(model, in.readAllBytes(), "application/octet-stream", Map.of(), false, "spec.model.uri");
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code partitions} CAI-shaped partitions under {@code data} unless it holds some already. */
    private static boolean writePartitions(ObjectStore store, S3Uri data, int partitions, int samples, PartitionFormat format) {
        if (!store.list(data, "spec.data.uri").isEmpty()) {
            return false;
        }
        CaiDataGenerator.upload(store, data, SEED, partitions, samples, format);
        return true;
    }
}
