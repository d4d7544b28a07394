package io.dataparallel.e2e;

import io.dataparallel.core.testing.S3FaultProxy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.testing.S3FaultProxy.Fault;
import io.dataparallel.core.testing.S3FaultProxy.Rule;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 1: S3 faults through a loopback proxy in front of the store, on the real
 * control plane. Transient faults in every phase (the planner's listing, the model and
 * partition downloads, the prediction, quality, progress and rank-result PUTs, the summarizer's
 * reads; a partition download that stalls past the client's socket timeout) cost retries, not the job, and the predictions equal a fault-free run's byte for byte.
 * A persistent fault fails the job in bounded time with a message naming the S3 operation and key.
 */
class S3FaultsE2eTest {
    @Test
    void transientFaultsInEveryPhaseCostRetriesNotTheJobNorItsResults() throws IOException {
        String ns = E2e.namespace("s3faults");
        E2e.exampleData("e2e", ns, 3, 100);
        try (S3FaultProxy proxy = new S3FaultProxy(E2e.cluster().s3Endpoint(), E2e.cluster().podReachableAddress())) {
            String out = "/e2e/" + ns + "/out/faulty/";
            List<Rule> rules = List.of(
                    proxy.add("GET", "list-type=2&prefix=" + ns + "/data/", Fault.UNAVAILABLE, 2),
                    proxy.add("GET", "/e2e/" + ns + "/model.pt", Fault.TRUNCATED, 1),
                    proxy.add("GET", "/data/partition-00001.npz", Fault.RESET_MID_BODY, 2),
                    proxy.add("GET", "/data/partition-00002.npz", Fault.TRUNCATED, 1),
                    proxy.add("GET", "/data/partition-00000.npz", Fault.STALL, 1),
                    proxy.add("PUT", out + "predictions/partition-00000.npz", Fault.SLOW_DOWN, 2),
                    proxy.add("PUT", out + "quality/", Fault.UNAVAILABLE, 2),
                    proxy.add("PUT", out + "progress/", Fault.UNAVAILABLE, 3),
                    proxy.add("PUT", out + "ranks/", Fault.SLOW_DOWN, 2),
                    proxy.add("GET", out + "ranks/", Fault.UNAVAILABLE, 2));
            E2e.apply(throughProxy(E2e.manifest(ns, "faulty", "e2e", ns, 2), proxy));
            E2e.apply(E2e.manifest(ns, "clean", "e2e", ns, 2));
            Invariants.of(ns, "clean").fault("none (the reference)").expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check();
            Invariants.Outcome faulty = Invariants.of(ns, "faulty").fault("S3 transient: " + rules.size() + " rules")
                    .sameAs("s3://e2e/" + ns + "/out/clean/").expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check();
            for (Rule r : rules) {
                assertEquals(r.times(), r.injected().get(), () -> "fault not met: " + r);
            }
            assertEquals(3, faulty.predictions());
            assertEquals(0.0, faulty.maxDifference(), "byte for byte the fault-free run's predictions");
        }
    }

    @Test
    void aPersistentFaultFailsTheJobInBoundedTimeNamingTheOperationAndKey() throws IOException {
        String ns = E2e.namespace("s3down");
        E2e.exampleData("e2e", ns, 3, 100);
        try (S3FaultProxy proxy = new S3FaultProxy(E2e.cluster().s3Endpoint(), E2e.cluster().podReachableAddress())) {
            proxy.add("GET", "/data/partition-00001.npz", Fault.UNAVAILABLE, -1);
            E2e.apply(throughProxy(E2e.manifest(ns, "down", "e2e", ns, 3, "retries: 1"), proxy));
            // bounded: a persistent fault ends the job within 4 minutes of its apply
            InferenceJob done = Invariants.of(ns, "down").fault("S3 persistent 503 on one partition").expect(Phase.Failed)
                    .within(Duration.ofMinutes(4)).check().job();
            List<FailedPartition> failed = done.getStatus().failedPartitions();
            assertEquals(List.of("partition-00001.npz"), failed.stream().map(FailedPartition::partition).toList(), failed::toString);
            String reason = failed.get(0).reason();
            assertTrue(reason.contains("GET s3://e2e/" + ns + "/data/partition-00001.npz") && reason.contains("HTTP 503"), reason);
            assertEquals(2, done.getStatus().partitionsDone(), "the other partitions are done");
        }
    }

    /** The manifest with its spec.s3.endpoint through {@code proxy}: every pod of the job, and the operator, meet its faults. */
    static String throughProxy(String manifest, S3FaultProxy proxy) {
        return manifest.replace("endpoint: \"" + E2e.cluster().podS3Endpoint() + "\"", "endpoint: \"" + proxy.endpoint() + "\"");
    }
}
