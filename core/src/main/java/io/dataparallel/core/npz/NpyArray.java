package io.dataparallel.core.npz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One array of an {@code .npz}: name, element type, shape and the raw little-endian,
 * C-ordered data. {@code data} is positioned at 0 and sized exactly.
 */
public record NpyArray(String name, DType dtype, long[] shape, ByteBuffer data) {

    public NpyArray {
        data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (data.remaining() != elementCount(shape) * dtype.bytes()) {
            throw new IllegalArgumentException("array '" + name + "' has " + data.remaining() + " bytes, shape "
                    + Arrays.toString(shape) + " of " + dtype.numpyName() + " needs " + elementCount(shape) * dtype.bytes());
        }
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Rows along the first dimension; a 0-d array has none. */
    public long rows() {
        return shape.length == 0 ? 0 : shape[0];
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** Shape as numpy prints it, e.g. {@code (37, 5, 32, 32)}. */
    public String shapeText() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Every element as a double (labels and predictions for quality metrics). */
    public double[] toDoubles() {
        int n = Math.toIntExact(elementCount());
        double[] out = new double[n];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case FLOAT16 -> halfToFloat(b.getShort(i * 2));
                case FLOAT32 -> b.getFloat(i * 4);
                case FLOAT64 -> b.getDouble(i * 8);
                case INT8 -> b.get(i);
                case INT16 -> b.getShort(i * 2);
                case INT32 -> b.getInt(i * 4);
                case INT64 -> b.getLong(i * 8);
                case UINT8, BOOL -> b.get(i) & 0xff;
                case UINT16 -> b.getShort(i * 2) & 0xffff;
                case UINT32 -> b.getInt(i * 4) & 0xffffffffL;
                case UINT64 -> (double) b.getLong(i * 8);
            };
        }
        return out;
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant / 1024f / 16384f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** A float32 array from Java floats. */
    public static NpyArray ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NpyArray(name, DType.FLOAT32, shape, b);
    }

    /** A float64 array from Java doubles. */
    public static NpyArray ofDoubles(String name, long[] shape, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new NpyArray(name, DType.FLOAT64, shape, b);
    }
}
