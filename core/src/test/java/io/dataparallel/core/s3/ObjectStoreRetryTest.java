package io.dataparallel.core.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.testing.S3FaultProxy;
import io.dataparallel.core.testing.S3Fixture;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3 5xx answers are retried with backoff before anything fails. */
class ObjectStoreRetryTest {
    @TempDir
    Path tmp;

    @Test
    void internalErrorsAreRetried() throws Exception {
        try (S3Fixture s3 = new S3Fixture(tmp); S3FaultProxy proxy = new S3FaultProxy(URI.create(s3.spec().endpoint()))) {
            S3FaultProxy.Rule failures = proxy.add(S3FaultProxy.ANY_METHOD, "", S3FaultProxy.Fault.INTERNAL_ERROR, 3);
            s3.createBucket("data");
            s3.put("s3://data/p.npz", new byte[] {1, 2, 3});
            S3Spec viaProxy = new S3Spec(proxy.endpoint().toString(), "us-east-1", true, null);
            try (ObjectStore store = new ObjectStore(S3Clients.create(viaProxy, s3.env()))) {
                assertArrayEquals(new byte[] {1, 2, 3}, store.get(new S3Uri("data", "p.npz"), "spec.data.uri"));
            }
            assertEquals(3, failures.injected().get());
        }
    }

    @Test
    void aStoreThatKeepsFailingIsReportedAsUnavailableNotAsBadInput() throws Exception {
        try (S3Fixture s3 = new S3Fixture(tmp); S3FaultProxy proxy = new S3FaultProxy(URI.create(s3.spec().endpoint()))) {
            S3FaultProxy.Rule failures = proxy.add(S3FaultProxy.ANY_METHOD, "", S3FaultProxy.Fault.INTERNAL_ERROR, -1);
            S3Spec viaProxy = new S3Spec(proxy.endpoint().toString(), "us-east-1", true, null);
            try (ObjectStore store = new ObjectStore(S3Clients.create(viaProxy, s3.env()))) {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                        () -> store.get(new S3Uri("data", "p.npz"), "spec.data.uri"));
                assertTrue(e.getMessage().contains("after " + S3Clients.MAX_ATTEMPTS + " attempts"), e.getMessage());
            }
            assertEquals(S3Clients.MAX_ATTEMPTS, failures.injected().get());
        }
    }
}
