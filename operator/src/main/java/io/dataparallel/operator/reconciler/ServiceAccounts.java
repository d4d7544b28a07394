package io.dataparallel.operator.reconciler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker service accounts this operator found or created lately, so that a burst of jobs
 * in one namespace asks the API server once, not once per job. An entry is trusted for
 * {@link #TRUST}; an account deleted meanwhile is created again after that.
 */
final class ServiceAccounts {
    static final Duration TRUST = Duration.ofMinutes(5);
    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    boolean recentlySeen(String namespace, String name) {
        Long at = seen.get(namespace + "/" + name);
        return at != null && System.nanoTime() - at < TRUST.toNanos();
    }

    void seen(String namespace, String name) {
        seen.put(namespace + "/" + name, System.nanoTime());
    }
}
