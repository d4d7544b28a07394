package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A partition with no prediction at the end of a job, and why: its own input failed, or its worker did.
 * The same in {@code status.failedPartitions}, {@code summary.json} and the rank results.
 */
public record FailedPartition(
        @JsonPropertyDescription("The partition's key relative to spec.data.uri.")
        String partition,
        @JsonPropertyDescription("The rank (worker index, 0..workers-1) that owned it.")
        int rank,
        @JsonPropertyDescription("The worker's error, or why no result exists (the worker failed, ran past spec.timeout).")
        String reason) {
}
