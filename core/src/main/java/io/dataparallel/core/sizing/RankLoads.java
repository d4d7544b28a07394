package io.dataparallel.core.sizing;

import io.dataparallel.core.plan.RankAssigner;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of the most loaded rank for any worker count, exactly as {@link RankAssigner} would
 * assign the partitions, in about {@code O(workers · log(partitions / workers))} rather than {@code O(partitions)}: the
 * partitions' midpoints are computed once, and each rank's first partition is found by a galloping search from the previous one's
 * (a partition's rank, {@code floor(midpoint · ranks / total)}, only grows along the keys). The
 * search evaluates many worker counts, so this keeps 100,000 partitions well under a second. Not
 * thread-safe: one search at a time.
 */
public final class RankLoads {
    private final long[] prefix;
    private final double[] mids;
    private final double weightTotal;
    private final long largest;
    /** The search asks for the same worker counts for every (size, batch, replicas): each is computed once. */
    private final Map<Integer, Long> maxBytesByRanks = new HashMap<>();

    public RankLoads(long[] sizes) {
        int n = sizes.length;
        if (n == 0) {
            throw new IllegalArgumentException("no partitions");
        }
        prefix = new long[n + 1];
        long big = 0;
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + sizes[i];
            big = Math.max(big, sizes[i]);
        }
        largest = big;
        boolean byCount = prefix[n] == 0;
        weightTotal = byCount ? n : prefix[n];
        mids = new double[n];
        double cumulative = 0; // summed in the same order and type as RankAssigner, so ranks match exactly
        for (int i = 0; i < n; i++) {
            double w = byCount ? 1 : sizes[i];
            mids[i] = cumulative + w / 2;
            cumulative += w;
        }
    }

    public int partitions() {
        return mids.length;
    }

    public long totalBytes() {
        return prefix[mids.length];
    }

    public long largestBytes() {
        return largest;
    }

    /** The same offsets as {@link RankAssigner#assign}{@code (sizes, ranks)}. */
    public int[] starts(int ranks) {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks must be positive");
        }
        int n = mids.length;
        int[] starts = new int[ranks + 1];
        starts[0] = 0;
        for (int r = 1; r < ranks; r++) {
            starts[r] = firstOfRank(r, ranks, r == 1 ? 0 : starts[r - 1]);
        }
        if (n >= ranks) {
            for (int r = 1; r < ranks; r++) {
                starts[r] = Math.max(starts[r], starts[r - 1] + 1);
            }
            starts[ranks] = n;
            for (int r = ranks - 1; r >= 1; r--) {
                starts[r] = Math.min(starts[r], Math.min(n - (ranks - r), starts[r + 1] - 1));
            }
        }
        starts[ranks] = n;
        return starts;
    }

    /**
     * The first partition at or after {@code from} whose rank is {@code >= r}, or n: galloping from the
     * previous rank's start, then binary search, so a step costs the log of the rank's length, not of n.
     */
    private int firstOfRank(int r, int ranks, int from) {
        int n = mids.length;
        int lo = from;
        int step = 1;
        int hi = from;
        while (hi < n && rankOf(hi, ranks) < r) {
            lo = hi + 1;
            hi = (int) Math.min(n, (long) hi + step);
            step <<= 1;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rankOf(mid, ranks) >= r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private int rankOf(int i, int ranks) {
        return (int) Math.min(ranks - 1, Math.floor(mids[i] * ranks / weightTotal));
    }

    /** Bytes of each rank under {@link #starts}. */
    public long[] bytes(int ranks) {
        int[] starts = starts(ranks);
        long[] bytes = new long[ranks];
        for (int r = 0; r < ranks; r++) {
            bytes[r] = prefix[starts[r + 1]] - prefix[starts[r]];
        }
        return bytes;
    }

    /** Bytes of the most loaded rank with {@code ranks} workers. */
    public long maxBytes(int ranks) {
        return maxBytesByRanks.computeIfAbsent(ranks, r -> {
            long max = 0;
            for (long b : bytes(r)) {
                max = Math.max(max, b);
            }
            return max;
        });
    }

    /** A bound no assignment beats: the largest partition, or the mean share. */
    public double lowerBound(int ranks) {
        return Math.max(largest, (double) totalBytes() / ranks);
    }
}
