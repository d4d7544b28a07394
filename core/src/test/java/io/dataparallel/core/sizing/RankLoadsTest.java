package io.dataparallel.core.sizing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataparallel.core.plan.RankAssigner;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankLoadsTest {
    @Test
    void sameAssignmentAsThePlanner() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            long[] sizes = new long[n];
            boolean zeros = trial % 17 == 0;
            for (int i = 0; i < n; i++) {
                sizes[i] = zeros ? 0 : random.nextInt(10) == 0 ? random.nextLong(1, 5_000_000) : random.nextLong(1, 100);
            }
            RankLoads loads = new RankLoads(sizes);
            for (int ranks = 1; ranks <= n + 3; ranks += 1 + random.nextInt(4)) {
                assertArrayEquals(RankAssigner.assign(sizes, ranks), loads.starts(ranks), "n=" + n + " ranks=" + ranks);
            }
        }
    }

    @Test
    void mostLoadedRankAndBound() {
        RankLoads loads = new RankLoads(new long[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000});
        assertEquals(4000, loads.maxBytes(3));
        assertEquals(2000, loads.maxBytes(5));
        assertEquals(1000, loads.maxBytes(10));
        assertEquals(10000.0 / 3, loads.lowerBound(3), 1e-9);
        assertEquals(1000, loads.lowerBound(20), 1e-9);
    }
}
