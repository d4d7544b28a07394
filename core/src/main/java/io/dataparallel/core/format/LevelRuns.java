package io.dataparallel.core.format;

import java.nio.ByteBuffer;

/**
 * One page's repetition or definition levels as runs of one value, the form the RLE / bit-packing
 * hybrid mostly stores them in: a fixed-size list's levels are one run of its maximum definition
 * level for the page, and two runs per row of repetition levels (0, then 1 for the rest of the
 * row). Counting rows, lengths and nulls run by run costs a few steps per row where a level array
 * cost several per value, and the worker's JVM (C1 only) runs such per-value loops slowly: with
 * arrays, the levels took most of a fixed-size list column's decoding (benchmark 10).
 * Reused page after page.
 */
final class LevelRuns implements RleBitPacked.Runs {
    private int[] value = new int[16];
    private int[] length = new int[16];
    private int size;
    private int[] group = new int[64];

    int size() {
        return size;
    }

    int value(int run) {
        return value[run];
    }

    int length(int run) {
        return length[run];
    }

    /**
     * Decodes {@code count} levels of {@code bitWidth} bits from {@code in}'s position into runs, replacing
     * what this held; advances {@code in} past them.
     */
    LevelRuns decode(ByteBuffer in, int bitWidth, int count, String what) {
        size = 0;
        RleBitPacked.read(in, bitWidth, count, this, what);
        return this;
    }

    @Override
    public void repeated(int v, int n) {
        add(v, n);
    }

    @Override
    public void packed(ByteBuffer in, int at, int bitWidth, int n) {
        if (group.length < n) {
            group = new int[n];
        }
        RleBitPacked.unpack(in, at, bitWidth, n, group, 0);
        for (int i = 0; i < n; i++) {
            add(group[i], 1);
        }
    }

    /** Appends {@code n} levels of {@code v}, merged into the last run when it holds the same value. */
    private void add(int v, int n) {
        if (n == 0) {
            return;
        }
        if (size > 0 && value[size - 1] == v) {
            length[size - 1] += n;
            return;
        }
        if (size == value.length) {
            value = java.util.Arrays.copyOf(value, size * 2);
            length = java.util.Arrays.copyOf(length, size * 2);
        }
        value[size] = v;
        length[size] = n;
        size++;
    }

    /** Levels of exactly {@code v}. */
    long count(int v) {
        long n = 0;
        for (int r = 0; r < size; r++) {
            n += value[r] == v ? length[r] : 0;
        }
        return n;
    }

    /** The largest level, or -1 with none. */
    int max() {
        int m = -1;
        for (int r = 0; r < size; r++) {
            m = Math.max(m, value[r]);
        }
        return m;
    }
}
