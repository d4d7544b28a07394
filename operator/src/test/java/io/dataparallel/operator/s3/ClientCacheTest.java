package io.dataparallel.operator.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Spec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientCacheTest {
    static final S3Spec STORE = new S3Spec("http://127.0.0.1:9000", "us-east-1", true, null);
    static final Map<String, String> ALICE = Map.of(WorkerLaunch.ACCESS_KEY_ID, "alice", WorkerLaunch.SECRET_ACCESS_KEY, "a-secret");

    @Test
    void jobsWithTheSameStoreAndCredentialsShareOneClient() {
        try (ClientCache cache = new ClientCache()) {
            assertSame(cache.get(STORE, ALICE),
                    cache.get(STORE, Map.of(WorkerLaunch.SECRET_ACCESS_KEY, "a-secret", WorkerLaunch.ACCESS_KEY_ID, "alice")));
            assertEquals(1, cache.size());
        }
    }

    @Test
    void otherCredentialsOrEndpointsGetTheirOwnClient() {
        try (ClientCache cache = new ClientCache()) {
            var alice = cache.get(STORE, ALICE);
            assertNotSame(alice, cache.get(STORE, Map.of(WorkerLaunch.ACCESS_KEY_ID, "alice", WorkerLaunch.SECRET_ACCESS_KEY, "rotated")));
            assertNotSame(alice, cache.get(new S3Spec("http://127.0.0.1:9001", "us-east-1", true, null), ALICE));
            assertNotSame(alice, cache.get(STORE, Map.of()));
            assertEquals(4, cache.size());
        }
    }

    @Test
    void keysNeverHoldTheSecret() {
        assertFalse(ClientCache.key(STORE, ALICE).contains("a-secret"));
    }

    @Test
    void theCacheIsBounded() {
        try (ClientCache cache = new ClientCache()) {
            for (int i = 0; i < ClientCache.MAX_CLIENTS + 5; i++) {
                cache.get(STORE, Map.of(WorkerLaunch.ACCESS_KEY_ID, "key-" + i, WorkerLaunch.SECRET_ACCESS_KEY, "s"));
            }
            assertEquals(ClientCache.MAX_CLIENTS, cache.size());
        }
    }
}
