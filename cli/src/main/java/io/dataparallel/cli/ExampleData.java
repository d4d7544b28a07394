package io.dataparallel.cli;

import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.s3.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The example: the CAI-shaped TorchScript model from {@code examples/models} and synthetic
 * CAI-shaped partitions, written where a manifest says the model and data are.
 */
final class ExampleData {
    static final int DEFAULT_PARTITIONS = 8;
    static final int DEFAULT_SAMPLES = 1024;
    static final long SEED = 2026;

    private ExampleData() {
    }

    /** Writes the example model to {@code model} unless something is there already. */
    static boolean writeModel(ObjectStore store, S3Uri model) {
        if (store.head(model, "spec.model.uri").isPresent()) {
            return false;
        }
        try (InputStream in = ExampleData.class.getResourceAsStream("/examples/astro-redshift.pt")) {
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
    static boolean writePartitions(ObjectStore store, S3Uri data, int partitions, int samples) {
        if (!store.list(data, "spec.data.uri").isEmpty()) {
            return false;
        }
        CaiDataGenerator.upload(store, data, SEED, partitions, samples);
        return true;
    }
}
