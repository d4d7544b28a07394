package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.JobMetrics;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 4: NaN inputs flow through to NaN predictions by design; the real API server
 * refuses NaN in a {@code type: number} status field, so the job must still reach Succeeded with
 * finite figures and the count of the samples left out.
 */
class NonFiniteMetricsE2eTest {
    @Test
    void nanPredictionsGiveFiniteStatusAndACount() {
        String ns = E2e.namespace("nan");
        E2e.exampleData("e2e", ns, 2, 100);
        // a third partition whose first 7 samples have NaN magnitudes: the model predicts NaN for them
        S3Uri third = S3Uri.parse("data", "s3://e2e/" + ns + "/data/partition-00002.npz");
        Map<String, NpyArray> arrays = Npz.read(CaiDataGenerator.partition(7, 2, 100));
        NpyArray mags = arrays.get("magnitudes");
        ByteBuffer b = ByteBuffer.allocate(mags.data().remaining()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(mags.data().duplicate());
        for (int i = 0; i < 7 * CaiDataGenerator.BANDS; i++) {
            b.putFloat(i * 4, Float.NaN);
        }
        List<NpyArray> out = new ArrayList<>(List.of(arrays.get("images"),
                new NpyArray("magnitudes", mags.dtype(), mags.shape(), b.flip()), arrays.get("redshift")));
        E2e.store().put(third, Npz.toBytes(out), "application/octet-stream", Map.of(), false, "data");

        E2e.apply(E2e.manifest(ns, "nan", "e2e", ns, 1));
        InferenceJob done = E2e.awaitFinal(ns, "nan", Duration.ofMinutes(4));
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
        JobMetrics.QualityMetrics q = done.getStatus().metrics().quality();
        assertEquals(300, q.samples());
        assertEquals(7L, q.nonFinite());
        assertNotNull(q.mae());
        assertTrue(Double.isFinite(q.mae()) && Double.isFinite(q.rmse()) && Double.isFinite(q.nmad()), q::toString);
        String summary = new String(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/nan/summary.json"), "out"),
                StandardCharsets.UTF_8);
        assertFalse(summary.contains("NaN") || summary.contains("Infinity"), summary);
        String report = new String(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/nan/report.html"), "out"),
                StandardCharsets.UTF_8);
        assertFalse(report.contains("NaN"), "the report shows no NaN");
    }
}
