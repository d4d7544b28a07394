package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanCacheTest {
    @Test
    void aThousandOrdinaryPlansAllStay() {
        PlanCache cache = new PlanCache();
        for (int i = 0; i < 1_000; i++) {
            cache.put("u" + i, plan(200));
        }
        assertEquals(1_000, cache.size());
        assertNotNull(cache.get("u0"));
    }

    @Test
    void hugePlansEvictTheLeastRecentlyUsedByPartitions() {
        PlanCache cache = new PlanCache();
        cache.put("a", plan(400_000));
        cache.put("b", plan(400_000));
        cache.get("a"); // a is now the most recently used
        cache.put("c", plan(400_000));
        assertNull(cache.get("b"));
        assertNotNull(cache.get("a"));
        assertNotNull(cache.get("c"));
    }

    private static Plan plan(int n) {
        List<String> keys = new ArrayList<>(Collections.nCopies(n, "p.npz"));
        return new Plan(Plan.VERSION, new JobRef("ns", "j", "u"), null, 1, keys, new ArrayList<>(Collections.nCopies(n, 1L)),
                new ArrayList<>(Collections.nCopies(n, "e")), List.of(0, n), List.of());
    }
}
