package io.dataparallel.core.format;

import java.nio.ByteBuffer;

/** ULEB128 varints and zigzag, as Parquet's levels and delta encodings write them. */
final class Varint {
    private Varint() {
    }

    static long unsigned(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.get() & 0xff;
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new PartitionFormatException("has a varint past 10 bytes (damaged)");
    }

    static long zigzag(ByteBuffer in) {
        long v = unsigned(in);
        return (v >>> 1) ^ -(v & 1);
    }
}
