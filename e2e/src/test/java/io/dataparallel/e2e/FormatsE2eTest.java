package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What users bring, on the real control plane: an ONNX model over HDF5 partitions, and the TorchScript
 * model over FITS partitions (the example partition as examples/tools/make_format_examples.py wrote it),
 * each run by the chart's operator to Succeeded with PyTorch's predictions, written as
 * {@code predictions/<key>.npz}.
 */
class FormatsE2eTest {
    private static final Path REF = E2e.REPO.resolve("examples/reference");

    @Test
    void anOnnxModelOverHdf5Partitions() throws Exception {
        String ns = E2e.namespace("onnx-h5");
        upload(ns, "examples/models/astro-redshift.onnx", "astro-small.h5", "part-%d.h5");
        String manifest = E2e.manifest(ns, "astro", "e2e", ns, 2)
                .replace("model.pt", "model.onnx").replace("inputs: [images, magnitudes]", "inputs: [images, phot/magnitudes]");
        runAndCompare(ns, manifest, "part-%d.h5.npz");
    }

    @Test
    void fitsPartitions() throws Exception {
        String ns = E2e.namespace("fits");
        upload(ns, "examples/models/astro-redshift.pt", "astro-small.fits.gz", "part-%d.fits.gz");
        String manifest = E2e.manifest(ns, "astro", "e2e", ns, 2)
                .replace("inputs: [images, magnitudes]", "inputs: [IMAGES, MAGNITUDES]").replace("labels: redshift", "labels: REDSHIFT");
        runAndCompare(ns, manifest, "part-%d.fits.gz.npz");
    }

    private static void upload(String ns, String model, String partition, String keyPattern) throws IOException {
        E2e.bucket("e2e");
        String modelKey = model.endsWith(".onnx") ? "model.onnx" : "model.pt";
        E2e.store().put(S3Uri.parse("model", "s3://e2e/" + ns + "/" + modelKey), Files.readAllBytes(E2e.REPO.resolve(model)),
                "application/octet-stream", Map.of(), false, "model");
        byte[] bytes = Files.readAllBytes(REF.resolve(partition));
        for (int i = 0; i < 2; i++) {
            E2e.store().put(S3Uri.parse("data", "s3://e2e/" + ns + "/data/" + keyPattern.formatted(i)), bytes,
                    "application/octet-stream", Map.of(), false, "data");
        }
    }

    private static void runAndCompare(String ns, String manifest, String predictionPattern) throws IOException {
        E2e.apply(manifest);
        InferenceJob done = E2e.awaitFinal(ns, "astro", Duration.ofMinutes(5));
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
        assertEquals("2/2", done.getStatus().progress());
        assertEquals(74L, done.getStatus().metrics().samples());
        double[] expected = Npz.read(Files.readAllBytes(REF.resolve("astro-small.predictions.npz"))).get("redshift_pred").toDoubles();
        for (int i = 0; i < 2; i++) {
            String key = "s3://e2e/" + ns + "/out/astro/predictions/" + predictionPattern.formatted(i);
            Map<String, NpyArray> ours = Npz.read(E2e.store().get(S3Uri.parse("p", key), "p"));
            double[] got = ours.get("redshift_pred").toDoubles();
            assertEquals(expected.length, got.length);
            for (int j = 0; j < got.length; j++) {
                assertTrue(Math.abs(expected[j] - got[j]) <= 1e-4, key + " sample " + j);
            }
        }
        List<String> warnings = E2e.warningEvents(ns);
        assertTrue(warnings.isEmpty(), () -> "warnings: " + warnings);
    }
}
