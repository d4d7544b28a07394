package io.dataparallel.api.result;

/**
 * A partition with no prediction at the end of a job, and why: its own input failed, or its worker did.
 *
 * @param partition key relative to {@code spec.data.uri}
 * @param rank      the rank that owned it
 * @param reason    the worker's error, or why no result exists
 */
public record FailedPartition(String partition, int rank, String reason) {
}
