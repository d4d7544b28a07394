package io.dataparallel.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.testing.FormatsPython;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files the writer makes, read by pyarrow and {@code pandas.read_parquet} (check_parquet_predictions.py) as
 * the arrays they were written from: every dtype as scalar and list columns, a prediction's mix of outputs and
 * kept columns, several row groups, no rows. Runs the Python of bench/python/formats-venv.sh ({@link FormatsPython}),
 * which makes the venv when it is missing: without pyarrow this test fails rather than passing unchecked.
 */
class ParquetWriterPandasTest {
    @TempDir
    Path dir;

    void write(String name, List<NpyArray> arrays) throws IOException {
        write(name, arrays, ParquetWriter.ROW_GROUP_BYTES);
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
                    ParquetWriterTest.array("image", d, 13, 2, 3), ParquetWriterTest.array("single", d, 13, 1),
                    ParquetWriterTest.array("long", d, 13, 100)));
        }
        write("prediction", List.of(ParquetWriterTest.array("logits", DType.FLOAT32, 37, 10),
                ParquetWriterTest.array("embedding", DType.FLOAT16, 37, 4, 4), ParquetWriterTest.array("id", DType.INT64, 37),
                ParquetWriterTest.array("band", DType.UINT8, 37, 5), ParquetWriterTest.array("flag", DType.BOOL, 37)));
        write("row-groups", List.of(ParquetWriterTest.array("x", DType.FLOAT64, 500, 3),
                ParquetWriterTest.array("k", DType.BOOL, 500), ParquetWriterTest.array("i", DType.INT16, 500)), 1000);
        write("no-rows", List.of(ParquetWriterTest.array("x", DType.FLOAT32, 0), ParquetWriterTest.array("v", DType.INT32, 0, 3)));

        List<String> lines = FormatsPython.checkParquet(dir);
        assertEquals(DType.values().length + 3, lines.stream().filter(l -> l.startsWith("ok ")).count(), String.join("\n", lines));
        assertTrue(lines.contains("ok row-groups.parquet: 500 rows, 3 columns, 16 row groups"), String.join("\n", lines));
    }
}
