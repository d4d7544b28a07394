package io.dataparallel.api.result;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One worker's headline figures, for the slowest and fastest worker in a summary.
 *
 * @param rank            the worker's rank
 * @param seconds         its end-to-end seconds
 * @param samplesPerSecond its compute-only samples/s
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WorkerTiming(int rank, double seconds, double samplesPerSecond) {
}
