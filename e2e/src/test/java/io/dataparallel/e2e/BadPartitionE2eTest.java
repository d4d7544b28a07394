package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Suite item 2: a partition that is not an npz makes its worker exit 3, and the real Job
 * controller fails that index at once through the podFailurePolicy (FailIndex), with no retry.
 */
class BadPartitionE2eTest {
    @Test
    void oneBadPartitionWithinMaxFailedWorkersIsAPartialSuccess() {
        String ns = E2e.namespace("badpart");
        setUp(ns);
        E2e.apply(E2e.manifest(ns, "partial", "e2e", ns, 2, "maxFailedWorkers: 1", "retries: 3"));
        InferenceJob done = E2e.awaitFinal(ns, "partial", Duration.ofMinutes(5));
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
        List<FailedPartition> failed = done.getStatus().failedPartitions();
        assertEquals(1, failed.size(), () -> "failed partitions: " + failed);
        assertEquals(1, done.getStatus().failedPartitionCount());
        assertEquals("partition-00003.npz", failed.get(0).partition().replaceFirst(".*/", ""));
        assertTrue(done.getStatus().message().contains("within spec.maxFailedWorkers"), done.getStatus().message());
        assertIndexFailedOnceWithoutRetry(ns, done, failed.get(0).rank());
    }

    @Test
    void oneBadPartitionWithNoFailuresAllowedFailsTheJob() {
        String ns = E2e.namespace("badpart");
        setUp(ns);
        E2e.apply(E2e.manifest(ns, "strict", "e2e", ns, 2, "retries: 3"));
        InferenceJob done = E2e.awaitFinal(ns, "strict", Duration.ofMinutes(5));
        assertEquals(Phase.Failed, done.getStatus().phase(), () -> "status: " + done.getStatus());
        assertTrue(done.getStatus().message().contains("spec.maxFailedWorkers"), done.getStatus().message());
        assertEquals(1, done.getStatus().failedPartitions().size());
        assertIndexFailedOnceWithoutRetry(ns, done, done.getStatus().failedPartitions().get(0).rank());
    }

    private static void setUp(String ns) {
        E2e.exampleData("e2e", ns, 3, 100);
        E2e.store().put(S3Uri.parse("data", "s3://e2e/" + ns + "/data/partition-00003.npz"),
                "this is not an npz file".getBytes(StandardCharsets.UTF_8), "application/octet-stream", Map.of(), false, "data");
    }

    /** The Job controller failed the index (failedIndexes) after one pod, though retries allowed 3 more. */
    private static void assertIndexFailedOnceWithoutRetry(String ns, InferenceJob done, int rank) {
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(done.getStatus().workerJob()).get();
        assertEquals(Set.of(rank), ExampleJobE2eTest.indexes(workers.getStatus().getFailedIndexes()));
        List<Pod> pods = E2e.admin().pods().inNamespace(ns).withLabel("batch.kubernetes.io/job-name", workers.getMetadata().getName())
                .list().getItems().stream()
                .filter(p -> String.valueOf(rank).equals(p.getMetadata().getLabels().get("batch.kubernetes.io/job-completion-index")))
                .toList();
        assertEquals(1, pods.size(), "one pod for the failed index: no retry of bad input");
        assertEquals(3, pods.get(0).getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());
    }
}
