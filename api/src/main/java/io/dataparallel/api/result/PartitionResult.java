package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * What one worker did with one partition. Timestamps are epoch milliseconds so that a
 * report can lay every worker's partitions on one timeline.
 *
 * @param key             partition key relative to {@code spec.data.uri}
 * @param samples         rows in the partition
 * @param bytes           partition size
 * @param batches         forward calls made (0 when resumed)
 * @param resumed         true when its prediction already existed and it was skipped
 * @param downloadSeconds time to fetch the object (overlapped with the previous partition's compute)
 * @param decodeSeconds   time to parse the {@code .npz}
 * @param computeSeconds  time in forward calls, including copying tensors in and out
 * @param uploadSeconds   time to write its quality data and prediction (the figures a prediction carries for a later
 *                        resume were taken as its PUT started, so there this leaves the PUT out)
 * @param startedMs       when its download started
 * @param computeStartedMs when its compute started
 * @param finishedMs      when its prediction was written
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RecordBuilder
public record PartitionResult(
        String key,
        long samples,
        long bytes,
        int batches,
        boolean resumed,
        double downloadSeconds,
        double decodeSeconds,
        double computeSeconds,
        double uploadSeconds,
        long startedMs,
        long computeStartedMs,
        long finishedMs) implements PartitionResultBuilder.With {

    /** When its download started, as ISO-8601 text beside the epoch milliseconds. */
    @JsonProperty(value = "started_at", access = JsonProperty.Access.READ_ONLY)
    public String startedAt() {
        return IsoTime.of(startedMs);
    }

    /** When its compute started, as ISO-8601 text beside the epoch milliseconds. */
    @JsonProperty(value = "compute_started_at", access = JsonProperty.Access.READ_ONLY)
    public String computeStartedAt() {
        return IsoTime.of(computeStartedMs);
    }

    /** When its prediction was written, as ISO-8601 text beside the epoch milliseconds. */
    @JsonProperty(value = "finished_at", access = JsonProperty.Access.READ_ONLY)
    public String finishedAt() {
        return IsoTime.of(finishedMs);
    }

    /** A partition whose prediction already existed: nothing was computed. */
    public static PartitionResult resumed(String key, long samples, long bytes, long atMs) {
        return new PartitionResult(key, samples, bytes, 0, true, 0, 0, 0, 0, atMs, atMs, atMs);
    }
}
