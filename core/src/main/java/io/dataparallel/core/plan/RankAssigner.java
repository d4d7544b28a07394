package io.dataparallel.core.plan;

import java.util.Arrays;

/**
 * Splits partitions (in key order) into contiguous runs, one per rank, balanced by bytes:
 * a partition goes to the rank whose share of the total bytes holds its midpoint. Every
 * rank's bytes are within one partition of the mean, the result depends only on the
 * sizes (same listing, same plan), and the plan stores only {@code ranks + 1} offsets.
 */
public final class RankAssigner {
    private RankAssigner() {
    }

    /**
     * Offsets into the partitions: rank {@code r} owns {@code [starts[r], starts[r+1])}.
     * When there are at least as many partitions as ranks, every rank gets one or more.
     */
    public static int[] assign(long[] sizes, int ranks) {
        if (ranks < 1) {
            throw new IllegalArgumentException("ranks must be positive");
        }
        int n = sizes.length;
        long total = 0;
        for (long s : sizes) {
            total += s;
        }
        boolean byCount = total == 0;
        double weightTotal = byCount ? n : total;
        int[] starts = new int[ranks + 1];
        Arrays.fill(starts, n);
        starts[0] = 0;
        double cumulative = 0;
        int nextRank = 1;
        for (int i = 0; i < n; i++) {
            double w = byCount ? 1 : sizes[i];
            double mid = cumulative + w / 2;
            int rank = (int) Math.min(ranks - 1, Math.floor(mid * ranks / weightTotal));
            while (nextRank <= rank) {
                starts[nextRank++] = i;
            }
            cumulative += w;
        }
        if (n >= ranks) {
            for (int r = 1; r < ranks; r++) {
                starts[r] = Math.max(starts[r], starts[r - 1] + 1);
            }
            for (int r = ranks - 1; r >= 1; r--) {
                starts[r] = Math.min(starts[r], Math.min(n - (ranks - r), starts[r + 1] - 1));
            }
        }
        starts[ranks] = n;
        return starts;
    }
}
