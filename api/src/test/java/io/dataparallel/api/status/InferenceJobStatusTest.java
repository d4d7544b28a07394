package io.dataparallel.api.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dataparallel.api.result.FailedPartition;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Issue 10 item 10: status lists a bounded number of failed partitions, and counts them all. */
class InferenceJobStatusTest {
    @Test
    void thousandsOfFailedPartitionsAreListedUpToTheCapAndCountedInFull() {
        List<FailedPartition> all = IntStream.range(0, 5_000)
                .mapToObj(i -> new FailedPartition("p-" + i + ".npz", i % 7, "bad input, not retrying: corrupt")).toList();
        List<FailedPartition> listed = InferenceJobStatus.listed(all);
        assertEquals(InferenceJobStatus.LISTED_FAILED_PARTITIONS, listed.size());
        assertEquals(all.subList(0, InferenceJobStatus.LISTED_FAILED_PARTITIONS), listed, "the first ones, in order");
        assertEquals(5_000, InferenceJobStatus.count(all));
    }

    @Test
    void noFailedPartitionsMeansNeitherListNorCount() {
        assertNull(InferenceJobStatus.listed(List.of()));
        assertNull(InferenceJobStatus.count(List.of()));
    }
}
