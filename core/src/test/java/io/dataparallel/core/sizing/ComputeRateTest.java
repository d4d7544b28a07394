package io.dataparallel.core.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeRateTest {
    // 1 thread: 100/s (0.01 s/sample); 2 threads: 160/s (0.00625): serial 0.0025 + parallel 0.0075 / threads
    private final ComputeRate rate = new ComputeRate(List.of(new RatePoint(64, 1, 1, 100), new RatePoint(64, 2, 1, 160),
            new RatePoint(256, 2, 1, 300)));

    @Test
    void profiledPointsComeBack() {
        assertEquals(100, rate.samplesPerSecond(64, 1, 1), 1e-9);
        assertEquals(160, rate.samplesPerSecond(64, 1, 2), 1e-9);
    }

    @Test
    void moreThreadsFollowAmdahlFromTheLastTwoPoints() {
        assertEquals(1 / (0.0025 + 0.0075 / 4), rate.samplesPerSecond(64, 1, 4), 1e-9);
    }

    @Test
    void oneProfiledCountScalesDownAndNotUp() {
        assertEquals(150, rate.samplesPerSecond(256, 1, 1), 1e-9);
        assertEquals(300, rate.samplesPerSecond(256, 1, 8), 1e-9);
    }

    @Test
    void anUnprofiledBatchTakesTheNearest() {
        assertEquals(64, rate.nearestBatch(100));
        assertEquals(256, rate.nearestBatch(200));
        assertEquals(64, rate.nearestBatch(1));
        assertEquals(256, rate.nearestBatch(4096));
    }

    @Test
    void neverFasterThanPerfectScaling() {
        ComputeRate superlinear = new ComputeRate(List.of(new RatePoint(8, 1, 1, 100), new RatePoint(8, 2, 1, 300)));
        assertEquals(300 * 4 / 2.0, superlinear.samplesPerSecond(8, 1, 4), 1e-9);
    }
}
