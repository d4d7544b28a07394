package io.dataparallel.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Direct little-endian buffers for decoded arrays: the layout {@link io.dataparallel.core.npz.NpyArray} and the tensors take. */
final class Buffers {
    private Buffers() {
    }

    /** A direct little-endian buffer of {@code bytes} bytes, refusing arrays past one buffer's 2 GiB. */
    static ByteBuffer allocate(long bytes, String what) {
        if (bytes > Integer.MAX_VALUE - 64) {
            throw new PartitionFormatException(what + " is " + bytes + " bytes decoded; split the partition below 2 GiB per array");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Copies {@code src} (elements of {@code width} bytes in {@code order}) into a new direct
     * little-endian buffer, swapping bytes in bulk where the orders differ.
     */
    static ByteBuffer toLittleEndian(ByteBuffer src, int width, ByteOrder order, String what) {
        ByteBuffer in = src.duplicate().order(order);
        ByteBuffer out = allocate(in.remaining(), what);
        copy(in, out, width);
        return out.flip();
    }

    /** Elements swapped per bulk step: big enough to amortize the calls, small enough to stay in cache. */
    private static final int CHUNK = 1 << 14;

    /**
     * Puts {@code in} (in its own order) into {@code out} (little-endian) element by element width; bulk where it can.
     * A swap goes through a primitive array per chunk: the JDK's bulk get of a swapped buffer and bulk put
     * of a native one are intrinsics, where a buffer-to-buffer put of different orders goes element by element.
     */
    static void copy(ByteBuffer in, ByteBuffer out, int width) {
        if (width == 1 || in.order() == ByteOrder.LITTLE_ENDIAN) {
            out.put(in.duplicate());
            return;
        }
        int n = in.remaining() / width;
        int pos = out.position();
        ByteBuffer o = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 2 -> {
                var src = in.asShortBuffer();
                var dst = o.asShortBuffer();
                short[] chunk = new short[Math.min(CHUNK, n)];
                for (int i = 0; i < n; i += chunk.length) {
                    int k = Math.min(chunk.length, n - i);
                    src.get(i, chunk, 0, k);
                    dst.put(i, chunk, 0, k);
                }
            }
            case 4 -> {
                var src = in.asIntBuffer();
                var dst = o.asIntBuffer();
                int[] chunk = new int[Math.min(CHUNK, n)];
                for (int i = 0; i < n; i += chunk.length) {
                    int k = Math.min(chunk.length, n - i);
                    src.get(i, chunk, 0, k);
                    dst.put(i, chunk, 0, k);
                }
            }
            case 8 -> {
                var src = in.asLongBuffer();
                var dst = o.asLongBuffer();
                long[] chunk = new long[Math.min(CHUNK, n)];
                for (int i = 0; i < n; i += chunk.length) {
                    int k = Math.min(chunk.length, n - i);
                    src.get(i, chunk, 0, k);
                    dst.put(i, chunk, 0, k);
                }
            }
            default -> throw new PartitionFormatException("elements of " + width + " bytes are not numbers this reader knows");
        }
        out.position(pos + n * width);
    }
}
