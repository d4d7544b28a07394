package io.dataparallel.core.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BilledCostTest {
    @Test
    void requestsTimesWallTimeTimesPriceSummedOverPods() {
        Prices prices = new Prices(0.04, 0.005, 2.0);
        BilledCost cost = BilledCost.billed(prices, List.of(
                new PodUsage(PodUsage.Kind.WORKER, new WorkerSize(2, 4, 0), 1800),
                new PodUsage(PodUsage.Kind.WORKER, new WorkerSize(2, 4, 0), 900),
                new PodUsage(PodUsage.Kind.SUMMARIZER, new WorkerSize(0.5, 1, 0), 360),
                new PodUsage(PodUsage.Kind.PROFILING, new WorkerSize(1, 2, 1), 180)));
        double expected = (2 * 0.04 + 4 * 0.005) * 0.75 + (0.5 * 0.04 + 0.005) * 0.1 + (0.04 + 2 * 0.005 + 2.0) * 0.05;
        assertEquals(expected, cost.amount(), 1e-12);
        assertTrue(cost.priced());
        assertEquals(2 * 2700 + 0.5 * 360 + 180, cost.cpuSeconds(), 1e-9);
        assertEquals(4 * 2700 + 360 + 2 * 180, cost.gibSeconds(), 1e-9);
        assertEquals(180, cost.gpuSeconds(), 1e-9);
        assertEquals(cost.amount(), cost.objective(), 0);
    }

    @Test
    void unknownPricesLeaveResourceSeconds() {
        BilledCost cost = BilledCost.billed(Prices.UNKNOWN, List.of(new PodUsage(PodUsage.Kind.WORKER, new WorkerSize(4, 8, 0), 100)));
        assertFalse(cost.priced());
        assertEquals(0, cost.amount(), 0);
        assertEquals(400, cost.objective(), 1e-9);
        assertEquals("400 CPU-s", cost.text());
    }
}
