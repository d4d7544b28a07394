package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One candidate a worker timed (or skipped) when choosing its batch size and replicas.
 *
 * @param batchSize         samples per forward call
 * @param replicas          replicas computing at once
 * @param threadsPerReplica intra-op threads of each
 * @param samples           samples the trial ran (the first rows of the partition)
 * @param seconds           its wall time; 0 when skipped
 * @param samplesPerSecond  samples / seconds; 0 when skipped
 * @param skipped           why it was not timed or cannot be used (over the time budget, did not fit in memory);
 *                          absent when it was
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TuningTrial(int batchSize, int replicas, int threadsPerReplica, long samples, double seconds,
                          double samplesPerSecond, String skipped) {
    /** True when it ran and may be chosen. */
    public boolean usable() {
        return skipped == null && seconds > 0;
    }
}
