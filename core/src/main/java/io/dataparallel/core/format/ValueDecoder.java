package io.dataparallel.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes a data page's values (after its levels) into a column's output, {@code width} bytes a
 * value, little-endian: PLAIN, dictionary indices, RLE booleans, DELTA_BINARY_PACKED and
 * BYTE_STREAM_SPLIT. Fixed-width values are copied in bulk; only indices and deltas go one by one.
 */
final class ValueDecoder {
    static final int PLAIN = 0, PLAIN_DICTIONARY = 2, RLE = 3, BIT_PACKED = 4, DELTA_BINARY_PACKED = 5,
            DELTA_LENGTH_BYTE_ARRAY = 6, DELTA_BYTE_ARRAY = 7, RLE_DICTIONARY = 8, BYTE_STREAM_SPLIT = 9;
    private static final String[] NAMES = {"PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED",
        "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};

    private ValueDecoder() {
    }

    static String name(int encoding) {
        return encoding >= 0 && encoding < NAMES.length ? NAMES[encoding] : "encoding " + encoding;
    }

    /**
     * Puts {@code n} values of {@code col}, encoded as {@code encoding} in {@code in}, at {@code out}'s position.
     *
     * @param dictionary the chunk's dictionary page decoded ({@code width} bytes a value), or null
     */
    static void decode(int encoding, ByteBuffer in, int n, ParquetColumn col, ByteBuffer dictionary, ByteBuffer out) {
        String what = "column '" + col.name() + "'";
        int width = col.width();
        try {
            switch (encoding) {
                case PLAIN -> plain(in, n, col, out);
                case PLAIN_DICTIONARY, RLE_DICTIONARY -> dictionary(in, n, width, dictionary, out, what);
                case RLE -> {
                    if (col.physical() != ParquetColumn.BOOLEAN) {
                        throw new PartitionFormatException(what + " has RLE values of a non-boolean column (damaged)");
                    }
                    in.order(ByteOrder.LITTLE_ENDIAN).getInt(); // the runs' byte length
                    bytes(in, 1, n, out, what);
                }
                case DELTA_BINARY_PACKED -> DeltaBinaryPacked.decode(in, n, width, col.physical(), out, what);
                case BYTE_STREAM_SPLIT -> byteStreamSplit(in, n, width, out, what);
                default -> throw new PartitionFormatException(what + " has values encoded as " + name(encoding)
                        + ", which this reader does not decode for a " + (col.dtype() == null ? "" : col.dtype().numpyName() + " ")
                        + "column; write it with PLAIN, dictionary, DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT encoding");
            }
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PartitionFormatException(what + " has a data page shorter than its " + n + " values (damaged)");
        }
    }

    /** Decodes a PLAIN dictionary page of {@code n} values into a buffer of {@code width} bytes a value. */
    static ByteBuffer dictionaryPage(ByteBuffer in, int n, ParquetColumn col) {
        if (col.physical() != ParquetColumn.BOOLEAN && (long) n * col.width() > in.remaining()) {
            throw new PartitionFormatException("column '" + col.name() + "' has a dictionary page of " + in.remaining()
                    + " bytes for " + n + " values (damaged)");
        }
        ByteBuffer d = ByteBuffer.allocate(Math.multiplyExact(n, col.width())).order(ByteOrder.LITTLE_ENDIAN);
        try {
            plain(in, n, col, d);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PartitionFormatException("column '" + col.name() + "' has a dictionary page shorter than its " + n + " values (damaged)");
        }
        return d.flip();
    }

    private static void plain(ByteBuffer in, int n, ParquetColumn col, ByteBuffer out) {
        if (col.physical() == ParquetColumn.BOOLEAN) {
            int[] bits = new int[n];
            RleBitPacked.unpack(in, in.position(), 1, n, bits, 0);
            putBytes(bits, n, out);
            in.position(in.position() + (n + 7) / 8);
            return;
        }
        int len = Math.multiplyExact(n, col.width());
        if (len > in.remaining()) {
            throw new IndexOutOfBoundsException();
        }
        out.put(in.slice(in.position(), len));
        in.position(in.position() + len);
    }

    private static void dictionary(ByteBuffer in, int n, int width, ByteBuffer dict, ByteBuffer out, String what) {
        if (dict == null) {
            throw new PartitionFormatException(what + " has dictionary-encoded values but no dictionary page (damaged)");
        }
        if (n == 0) {
            return;
        }
        int bitWidth = in.get() & 0xff;
        int[] idx = new int[n];
        RleBitPacked.decode(in, bitWidth, n, idx, 0, what + "'s dictionary indices");
        int size = dict.remaining() / width;
        int pos = out.position();
        for (int i = 0; i < n; i++) {
            if (idx[i] < 0 || idx[i] >= size) {
                throw new PartitionFormatException(what + " has dictionary index " + idx[i] + " past its dictionary of " + size + " (damaged)");
            }
        }
        switch (width) {
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    out.put(pos + i, dict.get(idx[i]));
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    out.putShort(pos + 2 * i, dict.getShort(2 * idx[i]));
                }
            }
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    out.putInt(pos + 4 * i, dict.getInt(4 * idx[i]));
                }
            }
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    out.putLong(pos + 8 * i, dict.getLong(8 * idx[i]));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    out.put(pos + width * i, dict, width * idx[i], width);
                }
            }
        }
        out.position(pos + n * width);
    }

    /** RLE-hybrid values of {@code bitWidth} bits, one byte each (booleans). */
    private static void bytes(ByteBuffer in, int bitWidth, int n, ByteBuffer out, String what) {
        int[] v = new int[n];
        RleBitPacked.decode(in, bitWidth, n, v, 0, what + "'s values");
        putBytes(v, n, out);
    }

    private static void putBytes(int[] v, int n, ByteBuffer out) {
        int pos = out.position();
        for (int i = 0; i < n; i++) {
            out.put(pos + i, (byte) v[i]);
        }
        out.position(pos + n);
    }

    private static void byteStreamSplit(ByteBuffer in, int n, int width, ByteBuffer out, String what) {
        int len = Math.multiplyExact(n, width);
        if (len > in.remaining()) {
            throw new PartitionFormatException(what + " has BYTE_STREAM_SPLIT values shorter than its " + n + " values (damaged)");
        }
        // the streams span the page's values: its remaining bytes, as many values as were encoded
        int stride = in.remaining() / width;
        byte[] src = new byte[stride * width];
        in.get(src);
        byte[] dst = new byte[len];
        for (int k = 0; k < width; k++) {
            int base = k * stride;
            for (int i = 0; i < n; i++) {
                dst[i * width + k] = src[base + i];
            }
        }
        out.put(dst);
    }
}
