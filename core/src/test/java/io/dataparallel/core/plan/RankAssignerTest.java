package io.dataparallel.core.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankAssignerTest {
    @Test
    void equalPartitionsSplitEvenly() {
        assertArrayEquals(new int[] {0, 3, 6, 9}, RankAssigner.assign(new long[] {5, 5, 5, 5, 5, 5, 5, 5, 5}, 3));
    }

    @Test
    void onePartitionPerRankWhenCountsMatch() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, RankAssigner.assign(new long[] {100, 1, 1}, 3));
    }

    @Test
    void moreRanksThanPartitionsLeavesTheLastIdle() {
        int[] starts = RankAssigner.assign(new long[] {10, 10}, 4);
        assertEquals(0, starts[0]);
        assertEquals(2, starts[4]);
        for (int r = 0; r < 4; r++) {
            assertTrue(starts[r] <= starts[r + 1]);
        }
    }

    @Test
    void zeroByteListingsSplitByCount() {
        assertArrayEquals(new int[] {0, 2, 4}, RankAssigner.assign(new long[] {0, 0, 0, 0}, 2));
    }

    @Test
    void randomSizesStayWithinOnePartitionOfTheMeanAndNoRankIsEmpty() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            int ranks = 1 + random.nextInt(n);
            long[] sizes = new long[n];
            long total = 0;
            long max = 0;
            for (int i = 0; i < n; i++) {
                sizes[i] = 1 + random.nextInt(1_000_000);
                total += sizes[i];
                max = Math.max(max, sizes[i]);
            }
            int[] starts = RankAssigner.assign(sizes, ranks);
            assertArrayEquals(starts, RankAssigner.assign(sizes, ranks), "deterministic");
            assertEquals(0, starts[0]);
            assertEquals(n, starts[ranks]);
            for (int r = 0; r < ranks; r++) {
                assertTrue(starts[r + 1] > starts[r], "rank " + r + " has partitions");
                long bytes = 0;
                for (int i = starts[r]; i < starts[r + 1]; i++) {
                    bytes += sizes[i];
                }
                // forcing every rank non-empty can add at most one more partition each way
                assertTrue(Math.abs(bytes - (double) total / ranks) <= 2.0 * max + 1,
                        "rank " + r + " holds " + bytes + " bytes, mean " + total / ranks);
            }
        }
    }
}
