package io.dataparallel.core.format;

import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes arrays of one row per sample as an Apache Parquet file, one column per array in the order given:
 * an array of shape {@code [N]} is a required column of its type, one of shape {@code [N, d1, d2 …]} a list
 * column (the standard three-level {@code LIST}) of {@code d1·d2·…} values per row, its row shape recorded in
 * the file's key-value metadata as {@code dataparallel.shape.<column>} = {@code [d1,d2]} ({@code []} for a
 * scalar column) so a reader can reshape. The counterpart of {@link ParquetReader}, which reads the shape back.
 *
 * <p>Why these choices: data pages V1 in PLAIN encoding, levels in the RLE/bit-packed hybrid, and no compression
 * — what every Parquet reader reads (pyarrow, pandas, Spark, DuckDB, this project's reader), and the same
 * trade as the {@code .npz} predictions, which are stored uncompressed too: model outputs are floats that
 * compress little, and the file is built on the worker's upload thread beside the next partition's compute.
 * Row groups hold at most {@link #ROW_GROUP_BYTES} of values, each a single page per column. Deterministic: the
 * same arrays make the same bytes, as {@code Npz.toBytes} does.
 */
public final class ParquetWriter {
    /** The key-value metadata key of a column's row shape, followed by the column's name. */
    public static final String SHAPE_KEY = "dataparallel.shape.";
    /** The values of one row group at most: a page per column, so no page nears the format's 2 GiB limit. */
    static final long ROW_GROUP_BYTES = 64L << 20;
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int PLAIN = 0, RLE = 3, DATA_PAGE = 0, UNCOMPRESSED = 0;
    private static final int CONVERTED_LIST = 3;
    /** LogicalType union members: LIST, INTEGER, FLOAT16. */
    private static final int LOGICAL_LIST = 3, LOGICAL_INTEGER = 10, LOGICAL_FLOAT16 = 15;

    private ParquetWriter() {
    }

    /**
     * How a numpy dtype is stored: its physical type, the width of one stored value, and the annotations that
     * give back the dtype ({@code uint8} is an INT32 annotated INT(8, unsigned); {@code float16} the FLOAT16
     * logical type on a 2-byte FIXED_LEN_BYTE_ARRAY).
     *
     * @param converted the legacy ConvertedType for readers that predate logical types, or -1
     * @param intBits   the INTEGER logical type's bit width, or 0 for none
     */
    private record Stored(int physical, int width, int converted, int intBits, boolean signed, boolean float16) {
        static Stored of(DType dtype) {
            return switch (dtype) {
                case FLOAT16 -> new Stored(ParquetColumn.FIXED_LEN_BYTE_ARRAY, 2, -1, 0, false, true);
                case FLOAT32 -> new Stored(ParquetColumn.FLOAT, 4, -1, 0, false, false);
                case FLOAT64 -> new Stored(ParquetColumn.DOUBLE, 8, -1, 0, false, false);
                case INT8 -> new Stored(ParquetColumn.INT32, 4, 15, 8, true, false);
                case INT16 -> new Stored(ParquetColumn.INT32, 4, 16, 16, true, false);
                case INT32 -> new Stored(ParquetColumn.INT32, 4, -1, 0, true, false);
                case INT64 -> new Stored(ParquetColumn.INT64, 8, -1, 0, true, false);
                case UINT8 -> new Stored(ParquetColumn.INT32, 4, 11, 8, false, false);
                case UINT16 -> new Stored(ParquetColumn.INT32, 4, 12, 16, false, false);
                case UINT32 -> new Stored(ParquetColumn.INT32, 4, 13, 32, false, false);
                case UINT64 -> new Stored(ParquetColumn.INT64, 8, 14, 64, false, false);
                case BOOL -> new Stored(ParquetColumn.BOOLEAN, 1, -1, 0, false, false);
            };
        }
    }

    /** One array as a column: {@code perRow} values per row, a list column unless its array is {@code [N]}. */
    private record Column(NpyArray array, Stored stored, long perRow, boolean list) {
        String name() {
            return array.name();
        }

        /** Levels of {@code rows} rows: one per value, and one for each empty list. */
        long levels(long rows) {
            return list && perRow == 0 ? rows : rows * perRow;
        }
    }

    /** Where one column chunk was written, for the footer. */
    private record Chunk(long offset, long size, long levels) {
    }

    /** {@code arrays} as the bytes of one Parquet file; every array needs the same rows, at least one dimension. */
    public static byte[] toBytes(List<NpyArray> arrays) {
        return toBytes(arrays, ROW_GROUP_BYTES);
    }

    /** {@link #toBytes(List)} with row groups of at most {@code rowGroupBytes} of values (at least one row each). */
    static byte[] toBytes(List<NpyArray> arrays, long rowGroupBytes) {
        List<Column> columns = columns(arrays);
        long rows = columns.isEmpty() ? 0 : columns.get(0).array().rows();
        long rowBytes = 1;
        for (Column c : columns) {
            rowBytes += c.perRow() * c.stored().width();
        }
        long groupRows = Math.max(1, rowGroupBytes / rowBytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        List<List<Chunk>> groups = new ArrayList<>();
        List<Long> groupSizes = new ArrayList<>();
        for (long r0 = 0; r0 < rows; r0 += groupRows) {
            long r1 = Math.min(rows, r0 + groupRows);
            List<Chunk> chunks = new ArrayList<>();
            for (Column c : columns) {
                long offset = out.size();
                byte[] levels = levels(c, r1 - r0);
                int size = Math.toIntExact(levels.length + valueBytes(c, r1 - r0));
                byte[] header = new ThriftCompactWriter().beginStruct(0)
                        .i32(1, DATA_PAGE).i32(2, size).i32(3, size)
                        .beginStruct(5).i32(1, Math.toIntExact(c.levels(r1 - r0))).i32(2, PLAIN).i32(3, RLE).i32(4, RLE).endStruct()
                        .endStruct().toBytes();
                out.writeBytes(header);
                out.writeBytes(levels);
                writeValues(out, c, r0 * c.perRow(), r1 * c.perRow()); // straight from the array: one copy of the values
                chunks.add(new Chunk(offset, header.length + size, c.levels(r1 - r0)));
            }
            groups.add(chunks);
            groupSizes.add(r1 - r0);
        }
        byte[] footer = footer(columns, rows, groups, groupSizes);
        out.writeBytes(footer);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.length).array());
        out.writeBytes(MAGIC);
        return out.toByteArray();
    }

    private static List<Column> columns(List<NpyArray> arrays) {
        List<Column> columns = new ArrayList<>();
        for (NpyArray a : arrays) {
            if (a.shape().length == 0) {
                throw new IllegalArgumentException("array '" + a.name() + "' has no rows (a 0-d array), which a Parquet column cannot hold");
            }
            if (a.rows() != arrays.get(0).rows()) {
                throw new IllegalArgumentException("array '" + a.name() + "' has " + a.rows() + " rows where '" + arrays.get(0).name()
                        + "' has " + arrays.get(0).rows() + ": the columns of a Parquet file have one row each per sample");
            }
            long perRow = NpyArray.elementCount(Arrays.copyOfRange(a.shape(), 1, a.shape().length));
            if (perRow * Stored.of(a.dtype()).width() > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("array '" + a.name() + "' has " + perRow + " values per row, more than a Parquet page holds");
            }
            columns.add(new Column(a, Stored.of(a.dtype()), perRow, a.shape().length > 1));
        }
        return columns;
    }

    /** The levels that open a page of {@code rows} rows: repetition then definition levels of a list column, none for a scalar. */
    private static byte[] levels(Column c, long rows) {
        if (!c.list()) {
            return new byte[0];
        }
        ByteArrayOutputStream levels = new ByteArrayOutputStream();
        long k = c.perRow();
        // repetition 0 starts a row; definition 1 is a value, 0 an empty list (the list and element are required)
        lengthPrefixed(levels, repetitionLevels(rows, k, c.levels(rows)));
        lengthPrefixed(levels, rle(k == 0 ? 0 : 1, c.levels(rows)));
        return levels.toByteArray();
    }

    /** Bytes of the PLAIN values of {@code rows} rows. */
    private static long valueBytes(Column c, long rows) {
        long n = rows * c.perRow();
        return c.stored().physical() == ParquetColumn.BOOLEAN ? (n + 7) / 8 : n * c.stored().width();
    }

    /** PLAIN values of elements {@code [e0, e1)}: little-endian numbers, booleans bit-packed, small integers widened. */
    private static void writeValues(ByteArrayOutputStream out, Column c, long e0, long e1) {
        NpyArray a = c.array();
        int n = Math.toIntExact(e1 - e0);
        int from = Math.toIntExact(e0 * a.dtype().bytes());
        ByteBuffer src = a.data().slice().order(ByteOrder.LITTLE_ENDIAN); // indexes from the array's first byte
        if (a.dtype() == DType.BOOL) {
            out.writeBytes(bits(n, i -> src.get(from + (int) i) != 0 ? 1 : 0));
        } else if (c.stored().width() == a.dtype().bytes()) {
            int len = n * a.dtype().bytes();
            if (src.hasArray()) {
                out.write(src.array(), src.arrayOffset() + from, len);
            } else {
                byte[] copy = new byte[len];
                src.get(from, copy);
                out.writeBytes(copy);
            }
        } else {
            ByteBuffer wide = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                wide.putInt(switch (a.dtype()) {
                    case INT8 -> src.get(from + i);
                    case UINT8 -> src.get(from + i) & 0xff;
                    case INT16 -> src.getShort(from + 2 * i);
                    case UINT16 -> src.getShort(from + 2 * i) & 0xffff;
                    default -> throw new IllegalStateException(a.dtype() + " is stored at its own width");
                });
            }
            out.writeBytes(wide.array());
        }
    }

    private static void lengthPrefixed(ByteArrayOutputStream out, byte[] levels) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(levels.length).array());
        out.writeBytes(levels);
    }

    /**
     * Repetition levels of {@code rows} lists of {@code k} values: 0 then {@code k - 1} ones per row, as one bit-packed
     * run (a bit per value), or where rows are long as two RLE runs per row (a few bytes per row), whichever is smaller.
     */
    private static byte[] repetitionLevels(long rows, long k, long levels) {
        if (k <= 1) {
            return rle(0, levels);
        }
        byte[] start = rle(0, 1);
        byte[] rest = rle(1, k - 1);
        if ((start.length + rest.length) * 8L >= k) {
            return bitPacked(rows * k, i -> i % k == 0 ? 0 : 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(rows * (start.length + rest.length)));
        for (long r = 0; r < rows; r++) {
            out.writeBytes(start);
            out.writeBytes(rest);
        }
        return out.toByteArray();
    }

    /** One RLE run of {@code count} levels of {@code value} (0 or 1, bit width 1). */
    private static byte[] rle(int value, long count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, count << 1);
        out.write(value);
        return out.toByteArray();
    }

    /** {@code count} levels of bit width 1 as one bit-packed run (its last group padded with zeros). */
    private static byte[] bitPacked(long count, java.util.function.LongUnaryOperator level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long groups = (count + 7) / 8;
        varint(out, groups << 1 | 1);
        out.writeBytes(bits(count, level));
        return out.toByteArray();
    }

    /** {@code count} bits, least significant first, padded to whole groups of 8 values (one byte each). */
    private static byte[] bits(long count, java.util.function.LongUnaryOperator bit) {
        byte[] out = new byte[Math.toIntExact((count + 7) / 8)];
        for (long i = 0; i < count; i++) {
            out[(int) (i >>> 3)] |= (byte) (bit.applyAsLong(i) << (i & 7));
        }
        return out;
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** The footer's {@code FileMetaData}: schema, row groups and each column's row shape. */
    private static byte[] footer(List<Column> columns, long rows, List<List<Chunk>> groups, List<Long> groupRows) {
        ThriftCompactWriter t = new ThriftCompactWriter().beginStruct(0).i32(1, 1);
        t.list(2, ThriftCompactWriter.STRUCT, 1 + columns.stream().mapToInt(c -> c.list() ? 3 : 1).sum());
        t.beginStruct(0).string(4, "schema").i32(5, columns.size()).endStruct();
        for (Column c : columns) {
            if (c.list()) {
                t.beginStruct(0).i32(3, ParquetColumn.REQUIRED).string(4, c.name()).i32(5, 1).i32(6, CONVERTED_LIST)
                        .beginStruct(10).beginStruct(LOGICAL_LIST).endStruct().endStruct().endStruct();
                t.beginStruct(0).i32(3, ParquetColumn.REPEATED).string(4, "list").i32(5, 1).endStruct();
            }
            leaf(t, c.stored(), c.list() ? "element" : c.name());
        }
        t.i64(3, rows);
        t.list(4, ThriftCompactWriter.STRUCT, groups.size());
        for (int g = 0; g < groups.size(); g++) {
            List<Chunk> chunks = groups.get(g);
            long bytes = chunks.stream().mapToLong(Chunk::size).sum();
            t.beginStruct(0).list(1, ThriftCompactWriter.STRUCT, chunks.size());
            for (int i = 0; i < chunks.size(); i++) {
                columnChunk(t, columns.get(i), chunks.get(i));
            }
            t.i64(2, bytes).i64(3, groupRows.get(g)).i64(5, chunks.get(0).offset()).i64(6, bytes).endStruct();
        }
        t.list(5, ThriftCompactWriter.STRUCT, columns.size());
        for (Column c : columns) {
            t.beginStruct(0).string(1, SHAPE_KEY + c.name()).string(2, rowShape(c.array())).endStruct();
        }
        t.string(6, "dataparallel");
        return t.endStruct().toBytes();
    }

    private static void leaf(ThriftCompactWriter t, Stored s, String name) {
        t.beginStruct(0).i32(1, s.physical());
        if (s.physical() == ParquetColumn.FIXED_LEN_BYTE_ARRAY) {
            t.i32(2, s.width());
        }
        t.i32(3, ParquetColumn.REQUIRED).string(4, name);
        if (s.converted() >= 0) {
            t.i32(6, s.converted());
        }
        if (s.intBits() > 0) {
            t.beginStruct(10).beginStruct(LOGICAL_INTEGER).i8(1, s.intBits()).bool(2, s.signed()).endStruct().endStruct();
        } else if (s.float16()) {
            t.beginStruct(10).beginStruct(LOGICAL_FLOAT16).endStruct().endStruct();
        }
        t.endStruct();
    }

    private static void columnChunk(ThriftCompactWriter t, Column c, Chunk chunk) {
        t.beginStruct(0).i64(2, chunk.offset()).beginStruct(3).i32(1, c.stored().physical());
        if (c.list()) {
            t.list(2, ThriftCompactWriter.I32, 2).element(PLAIN).element(RLE);
            t.list(3, ThriftCompactWriter.BINARY, 3).element(c.name()).element("list").element("element");
        } else {
            t.list(2, ThriftCompactWriter.I32, 1).element(PLAIN);
            t.list(3, ThriftCompactWriter.BINARY, 1).element(c.name());
        }
        t.i32(4, UNCOMPRESSED).i64(5, chunk.levels()).i64(6, chunk.size()).i64(7, chunk.size()).i64(9, chunk.offset());
        t.endStruct().endStruct();
    }

    /** {@code [d1,d2]} of an array {@code [N, d1, d2]}; {@code []} for {@code [N]}. */
    static String rowShape(NpyArray a) {
        return Arrays.stream(a.shape()).skip(1).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
    }
}
