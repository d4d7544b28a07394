package io.dataparallel.operator.reconciler;

import io.dataparallel.api.plan.Plan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed plans by InferenceJob uid, the most recently used {@link #CAPACITY} of them. A plan is
 * immutable once stored, so a cached one is never stale; a job whose plan was evicted reads its
 * ConfigMap again (one GET), instead of the operator watching and holding every plan.
 */
final class PlanCache {
    static final int CAPACITY = 256;
    private final Map<String, Plan> plans = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Plan> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized Plan get(String uid) {
        return plans.get(uid);
    }

    synchronized void put(String uid, Plan plan) {
        plans.put(uid, plan);
    }
}
