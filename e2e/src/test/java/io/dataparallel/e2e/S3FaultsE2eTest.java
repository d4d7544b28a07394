package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.e2e.S3FaultProxy.Fault;
import io.dataparallel.e2e.S3FaultProxy.Rule;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 1: S3 faults through a loopback proxy in front of the store, on the real
 * control plane. Transient faults in every phase (the planner's listing, the model and
 * partition downloads, the prediction, quality, progress and rank-result PUTs, the summarizer's
 * reads) cost retries, not the job, and the predictions equal a fault-free run's byte for byte.
 * A persistent fault fails the job in bounded time with a message naming the S3 operation and key.
 */
class S3FaultsE2eTest {
    @Test
    void transientFaultsInEveryPhaseCostRetriesNotTheJobNorItsResults() throws IOException {
        String ns = E2e.namespace("s3faults");
        E2e.exampleData("e2e", ns, 3, 100);
        try (S3FaultProxy proxy = new S3FaultProxy(E2e.cluster().s3Endpoint())) {
            String out = "/e2e/" + ns + "/out/faulty/";
            List<Rule> rules = List.of(
                    proxy.add("GET", "list-type=2&prefix=" + ns + "/data/", Fault.UNAVAILABLE, 2),
                    proxy.add("GET", "/e2e/" + ns + "/model.pt", Fault.TRUNCATED, 1),
                    proxy.add("GET", "/data/partition-00001.npz", Fault.RESET_MID_BODY, 2),
                    proxy.add("GET", "/data/partition-00002.npz", Fault.TRUNCATED, 1),
                    proxy.add("PUT", out + "predictions/partition-00000.npz", Fault.SLOW_DOWN, 2),
                    proxy.add("PUT", out + "quality/", Fault.UNAVAILABLE, 2),
                    proxy.add("PUT", out + "progress/", Fault.UNAVAILABLE, 3),
                    proxy.add("PUT", out + "ranks/", Fault.SLOW_DOWN, 2),
                    proxy.add("GET", out + "ranks/", Fault.UNAVAILABLE, 2));
            E2e.apply(throughProxy(E2e.manifest(ns, "faulty", "e2e", ns, 2), proxy));
            E2e.apply(E2e.manifest(ns, "clean", "e2e", ns, 2));
            InferenceJob faulty = E2e.awaitFinal(ns, "faulty", Duration.ofMinutes(5));
            InferenceJob clean = E2e.awaitFinal(ns, "clean", Duration.ofMinutes(5));
            assertEquals(Phase.Succeeded, faulty.getStatus().phase(), () -> "status: " + faulty.getStatus());
            assertEquals(Phase.Succeeded, clean.getStatus().phase(), () -> "status: " + clean.getStatus());
            for (Rule r : rules) {
                assertEquals(r.times(), r.injected().get(), () -> "fault not met: " + r);
            }
            for (int i = 0; i < 3; i++) {
                String key = "predictions/partition-0000" + i + ".npz";
                assertArrayEquals(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/clean/" + key), "out"),
                        E2e.store().get(S3Uri.parse("out", "s3:/" + out + key), "out"), key + " equals the fault-free run's");
            }
        }
    }

    @Test
    void aPersistentFaultFailsTheJobInBoundedTimeNamingTheOperationAndKey() throws IOException {
        String ns = E2e.namespace("s3down");
        E2e.exampleData("e2e", ns, 3, 100);
        try (S3FaultProxy proxy = new S3FaultProxy(E2e.cluster().s3Endpoint())) {
            proxy.add("GET", "/data/partition-00001.npz", Fault.UNAVAILABLE, -1);
            Instant start = Instant.now();
            E2e.apply(throughProxy(E2e.manifest(ns, "down", "e2e", ns, 3, "retries: 1"), proxy));
            InferenceJob done = E2e.awaitFinal(ns, "down", Duration.ofMinutes(6));
            Duration took = Duration.between(start, Instant.now());
            assertEquals(Phase.Failed, done.getStatus().phase(), () -> "status: " + done.getStatus());
            List<FailedPartition> failed = done.getStatus().failedPartitions();
            assertEquals(List.of("partition-00001.npz"), failed.stream().map(FailedPartition::partition).toList(), failed::toString);
            String reason = failed.get(0).reason();
            assertTrue(reason.contains("GET s3://e2e/" + ns + "/data/partition-00001.npz") && reason.contains("HTTP 503"), reason);
            assertEquals(2, done.getStatus().partitionsDone(), "the other partitions are done");
            assertTrue(took.compareTo(Duration.ofMinutes(4)) < 0, "bounded: " + took);
        }
    }

    private static String throughProxy(String manifest, S3FaultProxy proxy) {
        return manifest.replace("endpoint: \"" + E2e.cluster().s3Endpoint() + "\"", "endpoint: \"" + proxy.endpoint() + "\"");
    }
}
