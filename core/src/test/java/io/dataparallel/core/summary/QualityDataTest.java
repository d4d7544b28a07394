package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.result.Quality;
import io.dataparallel.core.Json;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityDataTest {
    static NpyArray ints(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return new NpyArray(name, DType.INT64, new long[] {values.length}, b.flip());
    }

    static Map<String, NpyArray> part(List<NpyArray> arrays) {
        return Npz.read(Npz.toBytes(arrays)); // through the stored form, as the summarizer reads it
    }

    /** Figures checked by hand and with numpy: see the comments. */
    @Test
    void regressionAcrossPartitions() {
        NpyArray y1 = NpyArray.ofFloats("z", new long[] {3}, new float[] {0f, 1f, 0.5f});
        NpyArray p1 = NpyArray.ofFloats("pred", new long[] {3, 1}, new float[] {0.1f, 0.8f, 0.5f});
        NpyArray y2 = NpyArray.ofFloats("z", new long[] {2}, new float[] {0f, 0.25f});
        NpyArray p2 = NpyArray.ofFloats("pred", new long[] {2}, new float[] {0.5f, 0.25f});
        Quality q = QualityData.aggregate(List.of(part(QualityData.compute(y1, p1)), part(QualityData.compute(y2, p2))));
        // r = [0.1, -0.2, 0, 0.5, 0]; d = r / (1 + |y|) = [0.1, -0.1, 0, 0.5, 0]
        assertEquals(Quality.REGRESSION, q.task());
        assertEquals(5, q.samples());
        assertEquals(0.8 / 5, q.mae(), 1e-6);
        assertEquals(Math.sqrt((0.01 + 0.04 + 0.25) / 5), q.rmse(), 1e-6);
        assertEquals(0.5 / 5, q.bias(), 1e-6);
        // median d = 0; |d - 0| = [0.1, 0.1, 0, 0.5, 0] -> median 0.1
        assertEquals(1.4826 * 0.1, q.nmad(), 1e-6);
        assertEquals(0.2, q.outlierFraction(), 1e-12); // only 0.5 exceeds 0.15
    }

    @Test
    void classificationTakesTheArgmaxOfTheLastDimension() {
        NpyArray labels = ints("y", 2, 0, 1);
        NpyArray logits = NpyArray.ofFloats("logits", new long[] {3, 3}, new float[] {0, 1, 5, /**/ 3, 1, 0, /**/ 0, 0, 9});
        Quality q = QualityData.aggregate(List.of(part(QualityData.compute(labels, logits))));
        assertEquals(Quality.CLASSIFICATION, q.task());
        assertEquals(2.0 / 3, q.accuracy(), 1e-12);
    }

    @Test
    void mismatchesNameTheLabelsField() {
        NpyArray y = NpyArray.ofFloats("z", new long[] {2}, new float[] {0, 1});
        BadInputException rows = assertThrows(BadInputException.class,
                () -> QualityData.compute(y, NpyArray.ofFloats("p", new long[] {3}, new float[3])));
        assertEquals("spec.data.labels", rows.field());
        BadInputException wide = assertThrows(BadInputException.class,
                () -> QualityData.compute(y, NpyArray.ofFloats("p", new long[] {2, 3}, new float[6])));
        assertTrue(wide.getMessage().contains("integer labels for classification"), wide.getMessage());
    }

    @Test
    void noLabelledSamplesMeansNoQuality() {
        assertEquals(null, QualityData.aggregate(List.of(Map.of())));
    }

    /** A NaN prediction is counted and left out; the figures stay finite (the API server refuses NaN in status). */
    @Test
    void nonFinitePredictionsAreCountedNotAveraged() {
        NpyArray y = NpyArray.ofFloats("z", new long[] {3}, new float[] {0f, 1f, 0.5f});
        NpyArray p = NpyArray.ofFloats("pred", new long[] {3}, new float[] {0.1f, Float.NaN, Float.POSITIVE_INFINITY});
        Quality q = QualityData.aggregate(List.of(part(QualityData.compute(y, p))));
        assertEquals(3, q.samples());
        assertEquals(2L, q.nonFinite());
        assertEquals(0.1, q.mae(), 1e-6);
        assertEquals(0.1, q.rmse(), 1e-6);
        String json = new String(Json.write(q), StandardCharsets.UTF_8);
        assertTrue(!json.contains("NaN") && !json.contains("Infinity"), json);
    }

    @Test
    void allNonFiniteGivesUnknownFiguresNotNaN() {
        NpyArray y = NpyArray.ofFloats("z", new long[] {2}, new float[] {0f, 1f});
        NpyArray p = NpyArray.ofFloats("pred", new long[] {2}, new float[] {Float.NaN, Float.NaN});
        Quality q = QualityData.aggregate(List.of(part(QualityData.compute(y, p))));
        assertEquals(2L, q.nonFinite());
        assertEquals(null, q.mae());
        assertEquals(null, q.nmad());
        String json = new String(Json.write(Map.of("x", Double.NaN, "y", 1.5)),
                StandardCharsets.UTF_8);
        assertTrue(json.contains("\"x\":null") && json.contains("\"y\":1.5"), json);
    }
}
