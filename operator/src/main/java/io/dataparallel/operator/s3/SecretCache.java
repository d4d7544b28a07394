package io.dataparallel.operator.s3;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credential Secrets read lately. A burst of jobs naming one Secret read it once instead of
 * once per reconcile pass, without the operator needing to list or watch every Secret in the
 * cluster. A Secret found is trusted for {@link #TTL} (a rotated key is picked up within it);
 * a missing one is asked for again every time, so creating it unblocks its jobs at once.
 */
final class SecretCache {
    static final Duration TTL = Duration.ofSeconds(30);
    private final KubernetesClient client;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Secret secret, long readAt) {
    }

    SecretCache(KubernetesClient client) {
        this.client = client;
    }

    /** The Secret, or null when it does not exist. */
    Secret get(String namespace, String name) {
        String key = namespace + "/" + name;
        Entry e = entries.get(key);
        if (e != null && System.nanoTime() - e.readAt() < TTL.toNanos()) {
            return e.secret();
        }
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            entries.remove(key);
        } else {
            entries.put(key, new Entry(secret, System.nanoTime()));
        }
        return secret;
    }
}
