package io.dataparallel.core.format;

import java.nio.ByteBuffer;

/**
 * Parquet's RLE / bit-packing hybrid (definition and repetition levels, dictionary indices,
 * booleans): runs of one repeated value and groups of 8 values packed {@code bitWidth} bits each,
 * least significant bit first.
 */
final class RleBitPacked {
    private RleBitPacked() {
    }

    /** The bits that hold values up to {@code max}. */
    static int bitWidth(int max) {
        return 32 - Integer.numberOfLeadingZeros(max);
    }

    /** What a reader of the hybrid does with its runs, in order. */
    interface Runs {
        /** {@code n} copies of {@code value}. */
        void repeated(int value, int n);

        /** {@code n} values packed {@code bitWidth} bits each from byte {@code at} of {@code in}, for {@link #unpack}. */
        void packed(ByteBuffer in, int at, int bitWidth, int n);
    }

    /**
     * Decodes {@code count} values of {@code bitWidth} bits (at most 32) from {@code in}, from its
     * position, into {@code out[offset..]}; advances {@code in} past the runs it read.
     */
    static void decode(ByteBuffer in, int bitWidth, int count, int[] out, int offset, String what) {
        read(in, bitWidth, count, new Runs() {
            private int at = offset;

            @Override
            public void repeated(int value, int n) {
                java.util.Arrays.fill(out, at, at + n, value);
                at += n;
            }

            @Override
            public void packed(ByteBuffer from, int byteAt, int width, int n) {
                unpack(from, byteAt, width, n, out, at);
                at += n;
            }
        }, what);
    }

    /** Hands the runs of {@code count} values of {@code bitWidth} bits to {@code runs}; advances {@code in} past them. */
    static void read(ByteBuffer in, int bitWidth, int count, Runs runs, String what) {
        if (bitWidth < 0 || bitWidth > 32) {
            throw new PartitionFormatException(what + " has a bit width of " + bitWidth + " (damaged)");
        }
        int done = 0;
        int byteWidth = (bitWidth + 7) >>> 3;
        try {
            while (done < count) {
                long header = Varint.unsigned(in);
                if ((header & 1) == 0) {
                    long run = header >>> 1;
                    int value = 0;
                    for (int i = 0; i < byteWidth; i++) {
                        value |= (in.get() & 0xff) << (8 * i);
                    }
                    int n = (int) Math.min(run, count - done);
                    runs.repeated(value, n);
                    done += n;
                } else {
                    long groups = header >>> 1;
                    long values = groups * 8;
                    int bytes = (int) (groups * bitWidth);
                    int n = (int) Math.min(values, count - done);
                    runs.packed(in, in.position(), bitWidth, n);
                    in.position(in.position() + Math.min(bytes, in.remaining()));
                    done += n;
                }
            }
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PartitionFormatException(what + " ends after " + done + " of its " + count + " values (damaged)");
        }
    }

    /** Unpacks {@code n} values of {@code bitWidth} bits (at most 32) starting at byte {@code at} of {@code in}. */
    static void unpack(ByteBuffer in, int at, int bitWidth, int n, int[] out, int offset) {
        if (bitWidth == 0) {
            java.util.Arrays.fill(out, offset, offset + n, 0);
            return;
        }
        long mask = (1L << bitWidth) - 1;
        int p = at;
        int i = 0;
        if (bitWidth <= 8) {
            // levels and booleans: a group of 8 values is bitWidth whole bytes, one long
            for (; i + 8 <= n; i += 8) {
                long g = 0;
                for (int b = 0; b < bitWidth; b++) {
                    g |= (long) (in.get(p + b) & 0xff) << (8 * b);
                }
                p += bitWidth;
                for (int j = 0; j < 8; j++) {
                    out[offset + i + j] = (int) ((g >>> (bitWidth * j)) & mask);
                }
            }
        }
        long acc = 0;
        int bits = 0;
        for (; i < n; i++) {
            while (bits < bitWidth) {
                acc |= (long) (in.get(p++) & 0xff) << bits;
                bits += 8;
            }
            out[offset + i] = (int) (acc & mask);
            acc >>>= bitWidth;
            bits -= bitWidth;
        }
    }
}
