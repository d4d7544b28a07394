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

    /** Puts {@code in} (in its own order) into {@code out} (little-endian) element by element width; bulk where it can. */
    static void copy(ByteBuffer in, ByteBuffer out, int width) {
        if (width == 1 || in.order() == ByteOrder.LITTLE_ENDIAN) {
            out.put(in.duplicate());
            return;
        }
        int n = in.remaining() / width;
        int pos = out.position();
        ByteBuffer o = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 2 -> o.asShortBuffer().put(in.asShortBuffer());
            case 4 -> o.asIntBuffer().put(in.asIntBuffer());
            case 8 -> o.asLongBuffer().put(in.asLongBuffer());
            default -> throw new PartitionFormatException("elements of " + width + " bytes are not numbers this reader knows");
        }
        out.position(pos + n * width);
    }
}
