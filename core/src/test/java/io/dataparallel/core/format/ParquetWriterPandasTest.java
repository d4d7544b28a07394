package io.dataparallel.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.testing.S3Fixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files the writer makes, read by pyarrow and {@code pandas.read_parquet} (check_parquet_predictions.py) as
 * the arrays they were written from: every dtype as scalar and list columns, a prediction's mix of outputs and
 * kept columns, several row groups, no rows. Runs the Python of bench/python/formats-venv.sh, which makes the
 * venv when it is missing: without pyarrow this test fails rather than passing unchecked.
 */
class ParquetWriterPandasTest {
    static final Path CHECKER = Path.of("src/test/python/check_parquet_predictions.py");

    @TempDir
    Path dir;

    void write(String name, List<NpyArray> arrays) throws IOException {
        Files.write(dir.resolve(name + ".parquet"), ParquetWriter.toBytes(arrays));
        Files.write(dir.resolve(name + ".ref.npz"), Npz.toBytes(arrays));
    }

    void write(String name, List<NpyArray> arrays, long rowGroupBytes) throws IOException {
        Files.write(dir.resolve(name + ".parquet"), ParquetWriter.toBytes(arrays, rowGroupBytes));
        Files.write(dir.resolve(name + ".ref.npz"), Npz.toBytes(arrays));
    }

    @Test
    void pyarrowAndPandasReadWhatTheWriterWrote() throws Exception {
        for (DType d : DType.values()) {
            String t = d.numpyName();
            write("dtype-" + t, List.of(ParquetWriterTest.array("scalar", d, 13), ParquetWriterTest.array("vector", d, 13, 3),
                    ParquetWriterTest.array("image", d, 13, 2, 3), ParquetWriterTest.array("single", d, 13, 1)));
        }
        write("prediction", List.of(ParquetWriterTest.array("logits", DType.FLOAT32, 37, 10),
                ParquetWriterTest.array("embedding", DType.FLOAT16, 37, 4, 4), ParquetWriterTest.array("id", DType.INT64, 37),
                ParquetWriterTest.array("band", DType.UINT8, 37, 5), ParquetWriterTest.array("flag", DType.BOOL, 37)));
        write("row-groups", List.of(ParquetWriterTest.array("x", DType.FLOAT64, 500, 3),
                ParquetWriterTest.array("k", DType.BOOL, 500), ParquetWriterTest.array("i", DType.INT16, 500)), 1000);
        write("no-rows", List.of(ParquetWriterTest.array("x", DType.FLOAT32, 0), ParquetWriterTest.array("v", DType.INT32, 0, 3)));

        Process p = new ProcessBuilder(python(), CHECKER.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the checker did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertEquals(DType.values().length + 3, out.lines().filter(l -> l.startsWith("ok ")).count(), out);
        assertTrue(out.contains("ok row-groups.parquet: 500 rows, 3 columns, 16 row groups"), out);
    }

    /** The formats venv's python, made by bench/python/formats-venv.sh when it is missing (a minute, once). */
    static String python() throws Exception {
        Path script = S3Fixture.repoRoot().resolve("bench/python/formats-venv.sh");
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "formats-venv.sh did not finish");
        assertEquals(0, p.exitValue(), "formats-venv.sh could not make the venv with pyarrow and pandas: " + out);
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }
}
