package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.Json;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 13: images handed to the model channels-last change no result beyond float rounding, and nothing else is touched. */
class InputLayoutTest {
    private static final Path MODEL = WorkerEndToEndTest.EXAMPLES.resolve("models/astro-redshift.pt");

    @BeforeAll
    static void djl() {
        DjlSetup.configure(1, Map.of());
    }

    @Test
    void channelsLastOutputsStayWithin1e5OfThePlainLayout() {
        Map<String, NpyArray> part = Npz.read(WorkerEndToEndTest.EXAMPLES.resolve("reference/astro-small.npz"), null);
        List<NpyArray> inputs = List.of(part.get("images"), part.get("magnitudes"));
        ModelSpec spec = new ModelSpec("s3://m/astro.pt", List.of("images", "magnitudes"), List.of("redshift_pred"));
        long rows = inputs.get(0).rows();
        double[] plain;
        double[] last;
        try (ModelRunner a = ModelRunner.load(MODEL, spec, false, "s3://m/astro.pt", new InputLayout(false));
             ModelRunner b = ModelRunner.load(MODEL, spec, false, "s3://m/astro.pt", new InputLayout(true))) {
            plain = a.run("p", inputs, rows, 8).arrays().get(0).toDoubles();
            last = b.run("p", inputs, rows, 8).arrays().get(0).toDoubles();
        }
        assertEquals(rows, last.length);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i], last[i], 1e-5, "sample " + i);
        }
    }

    @Test
    void imagesKeepTheirShapeAndValuesAndOtherArraysAreLeftAlone() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray images = m.arange(2 * 3 * 4 * 5).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(2, 3, 4, 5);
            NDArray laid = new InputLayout(true).apply(images);
            assertEquals(new Shape(2, 3, 4, 5), laid.getShape());
            assertArrayEquals(images.toFloatArray(), laid.toFloatArray()); // read back in row-major order
            assertTrue(laid.contentEquals(images));
            NDArray magnitudes = m.ones(new Shape(2, 5));
            assertSame(magnitudes, new InputLayout(true).apply(magnitudes));
            NDArray ints = m.arange(120).reshape(2, 3, 4, 5);
            assertSame(ints, new InputLayout(true).apply(ints));
            assertSame(images, new InputLayout(false).apply(images));
        }
    }

    @Test
    void specSwitchDefaultsToOnAndCanTurnItOff() {
        assertTrue(new ModelSpec("s3://m/a.pt", List.of("x"), null).channelsLastOrDefault());
        ModelSpec off = Json.read("{\"uri\": \"s3://m/a.pt\", \"inputs\": [\"x\"], \"channelsLast\": false}"
                .getBytes(StandardCharsets.UTF_8), ModelSpec.class);
        assertFalse(off.channelsLastOrDefault());
    }
}
