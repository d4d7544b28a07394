package io.dataparallel.core.format;

import io.dataparallel.core.format.ParquetFooter.Chunk;
import io.dataparallel.core.format.ParquetFooter.RowGroup;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Apache Parquet: an input name is a top-level column. Scalar columns become {@code [N]}; list
 * columns (fixed-size lists, and lists whose rows all have the same length) become {@code [N, k]};
 * the row groups of a partition are concatenated; a list column whose row shape the file records
 * ({@link ParquetWriter#SHAPE_KEY}, as a dataparallel prediction does) becomes {@code [N, d1, d2 …]}. Numbers only: BOOLEAN, INT32 and INT64 (with
 * their 8-, 16-, 32- and 64-bit signed and unsigned annotations), FLOAT, DOUBLE and FLOAT16;
 * strings, binaries, dates, timestamps, decimals and nested structs are listed but are not inputs.
 *
 * <p>Why a reader of our own: Parquet's own Java library (parquet-java's {@code parquet-hadoop})
 * still needs Hadoop's classes at run time even to read a local file, which would put Hadoop into
 * both worker images and the CLI; the Hadoop-free Hardwood reader needs Java 21 where the project
 * is on Java 17; DuckDB's JDBC driver is a 70 MB jar of native code per platform. What a model input
 * needs of Parquet is small and stable — the Thrift compact footer, the RLE/bit-packed levels of
 * optional and list columns, and the PLAIN, dictionary, DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT
 * value encodings of fixed-width numbers in data pages V1 and V2 — so this package reads exactly
 * that, in pure Java, decoding whole pages into one buffer per column with bulk copies, and
 * decompresses with aircompressor (snappy, zstd, LZ4) and the JDK (gzip), which run unchanged in
 * both images and in local mode. What it does not read (another codec, a nested type, an encoding
 * of strings) is reported by name, column by column.
 */
final class ParquetReader implements FormatReader {
    @Override
    public PartitionFile open(String key, ByteBuffer file) {
        ParquetFooter footer = guarded(() -> ParquetFooter.parse(file));
        return new PartitionFile() {
            private List<ArrayInfo> infos;

            @Override
            public List<ArrayInfo> arrays() {
                if (infos == null) {
                    infos = guarded(() -> footer.columns().stream().map(c -> info(file, footer, c)).toList());
                }
                return infos;
            }

            @Override
            public ArrayInfo find(String name) {
                ParquetColumn c = column(footer, name);
                return c == null ? null : infos != null ? PartitionFile.super.find(name) : guarded(() -> info(file, footer, c));
            }

            @Override
            public NpyArray read(String name) {
                ParquetColumn c = column(footer, name);
                if (c == null) {
                    throw new PartitionFormatException("has no column '" + name + "' (its columns: "
                            + footer.columns().stream().map(ParquetColumn::name).collect(Collectors.joining(", ")) + ")");
                }
                return guarded(() -> ParquetReader.read(file, footer, c));
            }
        };
    }

    /**
     * Runs {@code step}, turning what a damaged file may still cause past the checks (a length that overflows, a
     * codec's own exception) into a {@link PartitionFormatException}, so no stack trace reaches a user.
     */
    private static <T> T guarded(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (PartitionFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PartitionFormatException("cannot be read as Parquet (damaged?): " + e, e);
        }
    }

    private static ParquetColumn column(ParquetFooter footer, String name) {
        for (ParquetColumn c : footer.columns()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static ArrayInfo info(ByteBuffer file, ParquetFooter footer, ParquetColumn c) {
        String where = "column " + c.path();
        if (c.unsupported() != null) {
            return ArrayInfo.unsupported(c.name(), where, c.unsupported());
        }
        if (!c.isList()) {
            return ArrayInfo.of(c.name(), c.dtype(), new long[] {footer.rows()}, where);
        }
        try {
            // a list's length is in its levels only: decode it (plan --check and messages ask, not the worker)
            return ArrayInfo.of(c.name(), c.dtype(), rowShape(footer, c, shape(file, footer, c)), where);
        } catch (PartitionFormatException e) {
            return ArrayInfo.unsupported(c.name(), where, e.getMessage());
        }
    }

    /** The shape of column {@code c} from its levels only, checked as {@link #read} checks it. */
    static long[] shape(ByteBuffer file, ParquetFooter footer, ParquetColumn c) {
        ColumnShape shape = new ColumnShape(c);
        ColumnChunkReader reader = new ColumnChunkReader(file, c);
        long rows = 0;
        for (RowGroup g : footer.rowGroups()) {
            reader.read(g.chunks().get(c.leaf()), shape, null);
            rows += g.rows();
        }
        return shape.finish(rows);
    }

    /** Decodes column {@code c} of every row group into one array. */
    static NpyArray read(ByteBuffer file, ParquetFooter footer, ParquetColumn c) {
        String what = "column '" + c.name() + "'";
        if (c.unsupported() != null) {
            throw new PartitionFormatException(what + " is " + c.unsupported() + ", not numbers; a model input must be a column of "
                    + "numbers or booleans (or a list column of them)");
        }
        long total = 0;
        for (RowGroup g : footer.rowGroups()) {
            total += g.chunks().get(c.leaf()).values();
        }
        ColumnShape shape = new ColumnShape(c);
        ByteBuffer values = Buffers.allocate(total * c.width(), what);
        ColumnChunkReader reader = new ColumnChunkReader(file, c);
        long rows = 0;
        for (RowGroup g : footer.rowGroups()) {
            Chunk chunk = g.chunks().get(c.leaf());
            if (!c.isList() && chunk.values() != g.rows()) {
                throw new PartitionFormatException(what + " has " + chunk.values() + " values in a row group of " + g.rows() + " rows (damaged)");
            }
            reader.read(chunk, shape, values);
            rows += g.rows();
        }
        values.flip();
        long[] dims = rowShape(footer, c, shape.finish(rows));
        if (values.remaining() != NpyArray.elementCount(dims) * c.width()) {
            throw new PartitionFormatException(what + " has " + values.remaining() / c.width() + " values where its levels say "
                    + NpyArray.elementCount(dims) + " (damaged)");
        }
        ByteBuffer data = c.dtype().bytes() == c.width() ? values : narrow(values, c.dtype(), what);
        return new NpyArray(c.name(), c.dtype(), dims, data);
    }


    /**
     * {@code [rows, k]} as {@code [rows, d1, d2 …]} where the file records the column's row shape and its values
     * number {@code k}; anything else (no record, one that does not fit) leaves the list's own shape.
     */
    static long[] rowShape(ParquetFooter footer, ParquetColumn c, long[] dims) {
        String text = footer.keyValues().get(ParquetWriter.SHAPE_KEY + c.name());
        if (text == null || dims.length != 2 || !text.matches("\\[\\d{1,18}(,\\d{1,18})*]")) {
            return dims;
        }
        String[] parts = text.substring(1, text.length() - 1).split(",");
        long[] out = new long[parts.length + 1];
        out[0] = dims[0];
        long n = 1;
        for (int i = 0; i < parts.length; i++) {
            out[i + 1] = Long.parseLong(parts[i]);
            n = Math.multiplyExact(n, out[i + 1]);
        }
        return n == dims[1] || dims[0] == 0 ? out : dims; // no rows: no levels to tell k, the record is all there is
    }

    /** INT32 values annotated as 8- or 16-bit integers, to their own width. */
    private static ByteBuffer narrow(ByteBuffer in, DType dtype, String what) {
        int n = in.remaining() / 4;
        ByteBuffer out = Buffers.allocate((long) n * dtype.bytes(), what);
        ByteBuffer src = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (dtype.bytes() == 1) {
            for (int i = 0; i < n; i++) {
                out.put(i, (byte) src.getInt(4 * i));
            }
        } else if (dtype.bytes() == 2) {
            for (int i = 0; i < n; i++) {
                out.putShort(2 * i, (short) src.getInt(4 * i));
            }
        } else {
            throw new PartitionFormatException(what + " has " + dtype.numpyName() + " values in 4-byte integers (damaged)");
        }
        return out;
    }
}
