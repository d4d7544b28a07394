package io.dataparallel.operator.reconciler;

import io.dataparallel.api.plan.Plan;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed plans by InferenceJob uid, least recently used out first. A plan is immutable once
 * stored, so a cached one is never stale; a job whose plan was evicted reads its ConfigMap again
 * (one GET) instead of the operator watching and holding every plan. Bounded by jobs and by
 * partitions, since one plan may hold 100,000 partitions and most hold a few hundred: the
 * default bounds keep about 100 MB at the worst, and every running job's plan in a burst of
 * 1,000 ordinary jobs (a smaller cache made each poll of each job read its ConfigMap again).
 */
final class PlanCache {
    static final int MAX_PLANS = 4_096;
    static final long MAX_PARTITIONS = 1_000_000;
    private final Map<String, Plan> plans = new LinkedHashMap<>(64, 0.75f, true);
    private long partitions;

    synchronized Plan get(String uid) {
        return plans.get(uid);
    }

    synchronized void put(String uid, Plan plan) {
        Plan old = plans.put(uid, plan);
        partitions += plan.partitionCount() - (old == null ? 0 : old.partitionCount());
        Iterator<Plan> eldest = plans.values().iterator();
        while ((plans.size() > MAX_PLANS || partitions > MAX_PARTITIONS) && plans.size() > 1 && eldest.hasNext()) {
            partitions -= eldest.next().partitionCount();
            eldest.remove();
        }
    }

    synchronized int size() {
        return plans.size();
    }
}
