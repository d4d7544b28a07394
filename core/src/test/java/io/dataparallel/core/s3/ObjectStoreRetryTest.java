package io.dataparallel.core.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.testing.Mappings;
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

    @Test
    void aMappedReadGetsTheWholeBodyThroughBrokenOnesAndLeavesNoFile() throws Exception {
        try (S3Fixture s3 = new S3Fixture(tmp); S3FaultProxy proxy = new S3FaultProxy(URI.create(s3.spec().endpoint()))) {
            byte[] body = new byte[3 << 20];
            new java.util.Random(5).nextBytes(body);
            s3.createBucket("data");
            s3.put("s3://data/p.h5", body);
            S3FaultProxy.Rule reset = proxy.add("GET", "/data/p.h5", S3FaultProxy.Fault.RESET_MID_BODY, 1);
            S3FaultProxy.Rule truncated = proxy.add("GET", "/data/p.h5", S3FaultProxy.Fault.TRUNCATED, 1);
            S3Spec viaProxy = new S3Spec(proxy.endpoint().toString(), "us-east-1", true, null);
            Path spill = java.nio.file.Files.createDirectories(tmp.resolve("spill"));
            try (ObjectStore store = new ObjectStore(S3Clients.create(viaProxy, s3.env()))) {
                ObjectStore.Fetched fetched = store.getMapped(new S3Uri("data", "p.h5"), spill, "spec.data.uri");
                byte[] read = new byte[fetched.data().remaining()];
                fetched.data().duplicate().get(read);
                assertArrayEquals(body, read);
                assertTrue(fetched.data().isDirect(), "mapped, not copied onto the heap");
                assertEquals(0, java.nio.file.Files.list(spill).count(), "the file is removed once mapped");
                if (Mappings.visible()) {
                    assertEquals(1, Mappings.under(spill).size(), "its blocks are held by the mapping: " + Mappings.under(spill));
                    fetched.mapping().close();
                    assertTrue(fetched.mapping().released());
                    assertEquals(java.util.Set.of(), Mappings.under(spill), "closed: unmapped at once, not at collection");
                    fetched.mapping().close(); // a second close does nothing
                }
                assertThrows(io.dataparallel.api.BadInputException.class,
                        () -> store.getMapped(new S3Uri("data", "missing.h5"), spill, "spec.data.uri"));
                assertEquals(0, java.nio.file.Files.list(spill).count());
            }
            assertEquals(1, reset.injected().get());
            assertEquals(1, truncated.injected().get());
        }
    }
}
