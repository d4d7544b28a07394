package io.dataparallel.core.npz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An array converted to another element type, as numpy's {@code astype} does (floats to integers
 * truncate toward zero, anything nonzero is a true boolean): for a model whose input asks for another
 * dtype than the partition stores, converted once per partition.
 */
public final class Conversion {
    private Conversion() {
    }

    /** {@code a} as {@code target}, in a new direct little-endian buffer; {@code a} itself when it already is. */
    public static NpyArray to(NpyArray a, DType target) {
        if (a.dtype() == target) {
            return a;
        }
        int n = Math.toIntExact(a.elementCount());
        ByteBuffer in = a.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocateDirect(n * target.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (target.isFloating() || a.dtype().isFloating()) {
            for (int i = 0; i < n; i++) {
                putDouble(out, i, target, getDouble(in, i, a.dtype()));
            }
        } else {
            for (int i = 0; i < n; i++) {
                putLong(out, i, target, getLong(in, i, a.dtype()));
            }
        }
        return new NpyArray(a.name(), target, a.shape(), out);
    }

    private static double getDouble(ByteBuffer b, int i, DType t) {
        return switch (t) {
            case FLOAT16 -> NpyArray.halfToFloat(b.getShort(i * 2));
            case FLOAT32 -> b.getFloat(i * 4);
            case FLOAT64 -> b.getDouble(i * 8);
            case UINT64 -> unsignedToDouble(b.getLong(i * 8));
            default -> getLong(b, i, t);
        };
    }

    private static long getLong(ByteBuffer b, int i, DType t) {
        return switch (t) {
            case INT8 -> b.get(i);
            case INT16 -> b.getShort(i * 2);
            case INT32 -> b.getInt(i * 4);
            case INT64, UINT64 -> b.getLong(i * 8);
            case UINT8, BOOL -> b.get(i) & 0xff;
            case UINT16 -> b.getShort(i * 2) & 0xffff;
            case UINT32 -> b.getInt(i * 4) & 0xffffffffL;
            case FLOAT16, FLOAT32, FLOAT64 -> (long) getDouble(b, i, t);
        };
    }

    private static void putDouble(ByteBuffer b, int i, DType t, double v) {
        switch (t) {
            case FLOAT16 -> b.putShort(i * 2, floatToHalf((float) v));
            case FLOAT32 -> b.putFloat(i * 4, (float) v);
            case FLOAT64 -> b.putDouble(i * 8, v);
            case BOOL -> b.put(i, (byte) (v != 0 ? 1 : 0));
            default -> putLong(b, i, t, (long) v);
        }
    }

    private static void putLong(ByteBuffer b, int i, DType t, long v) {
        switch (t) {
            case INT8, UINT8 -> b.put(i, (byte) v);
            case BOOL -> b.put(i, (byte) (v != 0 ? 1 : 0));
            case INT16, UINT16 -> b.putShort(i * 2, (short) v);
            case INT32, UINT32 -> b.putInt(i * 4, (int) v);
            case INT64, UINT64 -> b.putLong(i * 8, v);
            case FLOAT16, FLOAT32, FLOAT64 -> putDouble(b, i, t, v);
        }
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** float to IEEE 754 half precision, rounding to nearest even (Java 17 has no Float.floatToFloat16). */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) { // inf or NaN
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00); // overflow: infinity
        }
        if (e <= 0) { // subnormal half or zero
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++; // may carry into the exponent, which is right (up to infinity)
        }
        return (short) (sign | half);
    }
}
