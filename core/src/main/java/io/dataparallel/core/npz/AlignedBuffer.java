package io.dataparallel.core.npz;

import java.nio.ByteBuffer;

/** Direct buffers placed so that a chosen byte starts a 64-byte boundary (see {@link Npz#firstArrayData}). */
public final class AlignedBuffer {
    /** A cache line: enough for any SIMD load libtorch makes. */
    public static final int ALIGNMENT = 64;

    private AlignedBuffer() {
    }

    /**
     * A direct buffer of {@code length} bytes whose byte at index {@code alignAt} lies on a
     * 64-byte boundary; {@code alignAt} -1 asks for no particular placement.
     */
    public static ByteBuffer allocate(int length, int alignAt) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length + ALIGNMENT);
        int shift = alignAt < 0 ? 0 : Math.floorMod(-(buffer.alignmentOffset(0, ALIGNMENT) + alignAt), ALIGNMENT);
        return buffer.slice(shift, length);
    }
}
