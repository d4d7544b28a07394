package io.dataparallel.operator.harness;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reconcile passes per InferenceJob uid, an efficiency figure for tests and benchmarks. JOSDK
 * tells its metrics of every pass it starts; handed to the operator as
 * {@code DataparallelOperator.Options.observer}, this counts them without the operator keeping
 * a count of its own.
 */
public final class ReconcilePasses implements Metrics {
    private final Map<String, AtomicInteger> passes = new ConcurrentHashMap<>();

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retry, Map<String, Object> metadata) {
        passes.computeIfAbsent(resource.getMetadata().getUid(), k -> new AtomicInteger()).incrementAndGet();
    }

    /** Passes so far for the job with this uid. */
    public int of(String uid) {
        AtomicInteger n = passes.get(uid);
        return n == null ? 0 : n.get();
    }
}
