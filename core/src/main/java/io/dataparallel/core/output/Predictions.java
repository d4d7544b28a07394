package io.dataparallel.core.output;

import io.dataparallel.api.spec.OutputFormat;
import io.dataparallel.core.format.ParquetWriter;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.util.List;

/**
 * A partition's prediction as the bytes of its one PUT, in the layout's {@code spec.output.format}: the outputs,
 * then the kept arrays, as {@code .npz} members or as Parquet columns. Quality data is {@code .npz} either way.
 */
public final class Predictions {
    private Predictions() {
    }

    /** {@code arrays} (outputs then kept arrays, one row per sample) as a prediction file of {@code format}. */
    public static byte[] toBytes(OutputFormat format, List<NpyArray> arrays) {
        return switch (format) {
            case npz -> Npz.toBytes(arrays);
            case parquet -> ParquetWriter.toBytes(arrays);
        };
    }

    /** The Content-Type a prediction of {@code format} is stored with. */
    public static String contentType(OutputFormat format) {
        return switch (format) {
            case npz -> "application/octet-stream";
            case parquet -> "application/vnd.apache.parquet";
        };
    }
}
