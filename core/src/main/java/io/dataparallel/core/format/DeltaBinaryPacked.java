package io.dataparallel.core.format;

import java.nio.ByteBuffer;

/**
 * Parquet's DELTA_BINARY_PACKED integers: a header (block size, miniblocks per block, value count,
 * first value), then blocks of a minimum delta and miniblocks of deltas bit-packed at their own
 * width. Sums wrap as the writer's integers do (INT32 in 32 bits, INT64 in 64).
 */
final class DeltaBinaryPacked {
    private DeltaBinaryPacked() {
    }

    static void decode(ByteBuffer in, int n, int width, int physical, ByteBuffer out, String what) {
        long blockSize = Varint.unsigned(in);
        long miniblocks = Varint.unsigned(in);
        long total = Varint.unsigned(in);
        long value = Varint.zigzag(in);
        if (blockSize <= 0 || blockSize % 128 != 0 || miniblocks <= 0 || blockSize % miniblocks != 0
                || (blockSize / miniblocks) % 32 != 0) {
            throw new PartitionFormatException(what + " has a DELTA_BINARY_PACKED header of block " + blockSize
                    + " and " + miniblocks + " miniblocks (damaged)");
        }
        if (total < n) {
            throw new PartitionFormatException(what + " has " + total + " DELTA_BINARY_PACKED values where the page has " + n + " (damaged)");
        }
        boolean int32 = physical == ParquetColumn.INT32;
        int perMini = (int) (blockSize / miniblocks);
        int pos = out.position();
        int done = 0;
        if (n > 0) {
            put(out, pos, 0, value, int32);
            done = 1;
        }
        long[] deltas = new long[perMini];
        byte[] widths = new byte[(int) miniblocks];
        while (done < n) {
            long minDelta = Varint.zigzag(in);
            in.get(widths);
            for (int m = 0; m < miniblocks && done < n; m++) {
                int w = widths[m] & 0xff;
                if (w > 64) {
                    throw new PartitionFormatException(what + " has a DELTA_BINARY_PACKED bit width of " + w + " (damaged)");
                }
                int take = Math.min(perMini, n - done);
                if ((long) take * w > 8L * in.remaining()) {
                    throw new PartitionFormatException(what + " has DELTA_BINARY_PACKED values past its page's end (damaged)");
                }
                unpack(in, in.position(), w, take, deltas);
                // a miniblock is written whole, padded past the last value (a writer that cut it short is read too)
                in.position(in.position() + Math.min(perMini * w / 8, in.remaining()));
                for (int i = 0; i < take; i++) {
                    value += minDelta + deltas[i];
                    if (int32) {
                        value = (int) value;
                    }
                    put(out, pos, done++, value, int32);
                }
            }
        }
        out.position(pos + n * width);
    }

    private static void put(ByteBuffer out, int pos, int i, long v, boolean int32) {
        if (int32) {
            out.putInt(pos + 4 * i, (int) v);
        } else {
            out.putLong(pos + 8 * i, v);
        }
    }

    /** {@code n} values of {@code w} bits (up to 64), least significant bit first, from byte {@code at}. */
    private static void unpack(ByteBuffer in, int at, int w, int n, long[] out) {
        if (w == 0) {
            java.util.Arrays.fill(out, 0, n, 0L);
            return;
        }
        long bit = 0;
        for (int i = 0; i < n; i++) {
            long v = 0;
            int got = 0;
            while (got < w) {
                int b = in.get(at + (int) (bit >>> 3)) & 0xff;
                int shift = (int) (bit & 7);
                int take = Math.min(8 - shift, w - got);
                v |= (long) ((b >>> shift) & ((1 << take) - 1)) << got;
                got += take;
                bit += take;
            }
            out[i] = v;
        }
    }
}
