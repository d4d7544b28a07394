package io.dataparallel.core.format;

import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How a FITS array's stored numbers become the ones astropy returns: {@code BSCALE}/{@code BZERO} of
 * an image (or {@code TSCALn}/{@code TZEROn} of a table column) and {@code BLANK}, with astropy's
 * dtypes, so a model sees what the user saw in Python:
 * <ul>
 * <li>unscaled: the stored type (BITPIX 8 is uint8);</li>
 * <li>the unsigned-integer convention (BSCALE 1, BZERO 2<sup>n-1</sup>): uint16, uint32, uint64, and
 *     int8 for BITPIX 8 with BZERO −128 (images only, as astropy);</li>
 * <li>otherwise an image of 8/16-bit integers becomes float32, of 32/64-bit integers float64, and
 *     a float image keeps its type; a scaled table column becomes float64;</li>
 * <li>BLANK of an integer image makes it floating point (even unscaled) with NaN where it was BLANK.</li>
 * </ul>
 * Arithmetic is in the decoded type, in astropy's order (multiply, then add; each skipped when 1 or 0),
 * so the bytes equal astropy's.
 *
 * @param raw     the stored type
 * @param decoded the type returned
 * @param bscale  the scale factor (1 when none)
 * @param bzero   the offset (0 when none)
 * @param blank   the stored value meaning "no value", or null
 */
record FitsScaling(DType raw, DType decoded, double bscale, double bzero, Long blank) {
    private static final int CHUNK = 8192;

    /** An image's scaling as astropy's ImageHDU applies it. */
    static FitsScaling image(DType raw, double bscale, double bzero, Long blank) {
        Long usableBlank = raw.isFloating() ? null : blank;
        if (bscale == 1 && bzero == 0 && usableBlank == null) {
            return new FitsScaling(raw, raw, 1, 0, null);
        }
        if (bscale == 1 && bzero != 0) {
            DType signFlip = raw == DType.UINT8 && bzero == -128 ? DType.INT8 : unsigned(raw, bzero);
            if (signFlip != null) {
                return new FitsScaling(raw, signFlip, 1, bzero, null);
            }
        }
        DType to = raw.isFloating() ? raw : raw.bytes() > 2 ? DType.FLOAT64 : DType.FLOAT32;
        // astropy: `if self._blank:` -- a BLANK of 0 turns the image to floats but marks nothing
        return new FitsScaling(raw, to, bscale, bzero, usableBlank != null && usableBlank != 0 ? usableBlank : null);
    }

    /** A binary-table column's scaling as astropy's FITS_rec applies it (no TNULL, as astropy). */
    static FitsScaling column(DType raw, double tscal, double tzero) {
        if (tscal == 1 && tzero == 0 || raw == DType.BOOL) {
            return new FitsScaling(raw, raw, 1, 0, null);
        }
        DType u = tscal == 1 ? unsigned(raw, tzero) : null;
        return u != null ? new FitsScaling(raw, u, 1, tzero, null) : new FitsScaling(raw, DType.FLOAT64, tscal, tzero, null);
    }

    private static DType unsigned(DType raw, double bzero) {
        return switch (raw) {
            case INT16 -> bzero == 0x1p15 ? DType.UINT16 : null;
            case INT32 -> bzero == 0x1p31 ? DType.UINT32 : null;
            case INT64 -> bzero == 0x1p63 ? DType.UINT64 : null;
            default -> null;
        };
    }

    /** Whether the stored numbers change at all (a float image with BSCALE keeps its type but not its values). */
    boolean scales() {
        return decoded != raw || bscale != 1 || bzero != 0 || blank != null;
    }

    /**
     * The decoded array of {@code src} (the stored numbers in {@code src.order()}, exactly as many as
     * {@code shape} holds) in a new little-endian buffer; unscaled bytes are copied (swapped) in bulk,
     * and unscaled little-endian or one-byte numbers are used as they are.
     */
    NpyArray apply(String name, long[] shape, ByteBuffer src) {
        String what = "array '" + name + "'";
        if (!scales()) {
            ByteBuffer data = raw.bytes() == 1 || src.order() == ByteOrder.LITTLE_ENDIAN ? src.slice().order(ByteOrder.LITTLE_ENDIAN)
                    : Buffers.toLittleEndian(src, raw.bytes(), src.order(), what);
            return new NpyArray(name, raw, shape, data);
        }
        if (!decoded.isFloating()) {
            return new NpyArray(name, decoded, shape, flipSignBit(Buffers.toLittleEndian(src, raw.bytes(), src.order(), what)));
        }
        int n = Math.toIntExact(NpyArray.elementCount(shape));
        ByteBuffer out = Buffers.allocate((long) n * decoded.bytes(), what);
        ByteBuffer in = src.slice().order(src.order());
        double[] values = new double[Math.min(CHUNK, n)];
        boolean[] blanks = blank == null ? null : new boolean[values.length];
        for (int from = 0; from < n; from += CHUNK) {
            int count = Math.min(CHUNK, n - from);
            load(in, from, count, values, blanks);
            if (decoded == DType.FLOAT32) {
                storeFloats(out, from, count, values, blanks);
            } else {
                storeDoubles(out, from, count, values, blanks);
            }
        }
        return new NpyArray(name, decoded, shape, out);
    }

    /** The unsigned convention: adding 2<sup>n-1</sup> modulo 2<sup>n</sup> is flipping each element's top bit. */
    private ByteBuffer flipSignBit(ByteBuffer le) {
        int width = raw.bytes();
        for (int i = width - 1; i < le.limit(); i += width) {
            le.put(i, (byte) (le.get(i) ^ 0x80));
        }
        return le;
    }

    /**
     * Stored numbers {@code from..from+count} as doubles (exact for all but int64, rounded as numpy's
     * astype), each chunk taken in one bulk get (an intrinsic byte swap) before the arithmetic.
     */
    private void load(ByteBuffer in, int from, int count, double[] values, boolean[] blanks) {
        long b = blank == null ? 0 : blank;
        switch (raw) {
            case UINT8 -> {
                byte[] chunk = new byte[count];
                in.get(from, chunk);
                for (int i = 0; i < count; i++) {
                    int v = chunk[i] & 0xff;
                    values[i] = v;
                    mark(blanks, i, v == b);
                }
            }
            case INT16 -> {
                short[] chunk = new short[count];
                in.asShortBuffer().get(from, chunk);
                for (int i = 0; i < count; i++) {
                    values[i] = chunk[i];
                    mark(blanks, i, chunk[i] == b);
                }
            }
            case INT32 -> {
                int[] chunk = new int[count];
                in.asIntBuffer().get(from, chunk);
                for (int i = 0; i < count; i++) {
                    values[i] = chunk[i];
                    mark(blanks, i, chunk[i] == b);
                }
            }
            case INT64 -> {
                long[] chunk = new long[count];
                in.asLongBuffer().get(from, chunk);
                for (int i = 0; i < count; i++) {
                    values[i] = chunk[i];
                    mark(blanks, i, chunk[i] == b);
                }
            }
            case FLOAT32 -> {
                float[] chunk = new float[count];
                in.asFloatBuffer().get(from, chunk);
                for (int i = 0; i < count; i++) {
                    values[i] = chunk[i];
                }
            }
            case FLOAT64 -> in.asDoubleBuffer().get(from, values, 0, count);
            default -> throw new PartitionFormatException("stored numbers of type " + raw.numpyName() + " cannot be scaled");
        }
    }

    private static void mark(boolean[] blanks, int i, boolean isBlank) {
        if (blanks != null) {
            blanks[i] = isBlank;
        }
    }

    private void storeFloats(ByteBuffer out, int from, int count, double[] values, boolean[] blanks) {
        float scale = (float) bscale;
        float zero = (float) bzero;
        float[] chunk = new float[count];
        for (int i = 0; i < count; i++) {
            float v = (float) values[i];
            if (bscale != 1) {
                v = v * scale;
            }
            if (bzero != 0) {
                v = v + zero;
            }
            chunk[i] = blanks != null && blanks[i] ? Float.NaN : v;
        }
        out.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(from, chunk);
    }

    private void storeDoubles(ByteBuffer out, int from, int count, double[] values, boolean[] blanks) {
        double[] chunk = new double[count];
        for (int i = 0; i < count; i++) {
            double v = values[i];
            if (bscale != 1) {
                v = v * bscale;
            }
            if (bzero != 0) {
                v = v + bzero;
            }
            chunk[i] = blanks != null && blanks[i] ? Double.NaN : v;
        }
        out.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(from, chunk);
    }
}
