package io.dataparallel.operator.s3;

import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.s3.S3Clients;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 clients kept across reconcile passes, one per endpoint, region, addressing style and
 * credentials. Building a client (its HTTP connection pool, credential chain and TLS) cost
 * more than the listing it served when a burst of InferenceJobs arrived; most jobs share a
 * store and a Secret, so they now share a client. Least recently used clients beyond
 * {@link #MAX_CLIENTS} are closed. Keys hold a digest of the credentials, never the values.
 */
final class ClientCache implements AutoCloseable {
    static final int MAX_CLIENTS = 64;
    static final Duration CLOSE_EVICTED_AFTER = Duration.ofMinutes(10);
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("s3-client-closer"));
    private final Map<String, S3Client> clients = new LinkedHashMap<>(16, 0.75f, true);

    synchronized S3Client get(S3Spec spec, Map<String, String> credentials) {
        String key = key(spec, credentials);
        S3Client client = clients.get(key);
        if (client == null) {
            client = S3Clients.create(spec, credentials);
            clients.put(key, client);
            if (clients.size() > MAX_CLIENTS) {
                var eldest = clients.entrySet().iterator().next();
                clients.remove(eldest.getKey());
                // a reconcile pass may still be using it: close it once any pass would have finished
                S3Client evicted = eldest.getValue();
                closer.schedule(evicted::close, CLOSE_EVICTED_AFTER.toSeconds(), TimeUnit.SECONDS);
            }
        }
        return client;
    }

    synchronized int size() {
        return clients.size();
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(S3Client::close);
        clients.clear();
        closer.shutdownNow();
    }

    static String key(S3Spec spec, Map<String, String> credentials) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : new TreeMap<>(credentials).entrySet()) {
                sha.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return spec.endpoint() + "|" + spec.regionOrDefault() + "|" + spec.pathStyleOrDefault() + "|"
                    + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
