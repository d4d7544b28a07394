package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The job's view of its workers' {@link Tuning}: which settings they computed with, and one
 * worker's measured table as an example (each rank's own is in its {@code ranks/<rank>.json}).
 *
 * @param choices    each distinct setting and how many workers used it, most used first
 * @param trialsRank the rank whose trials are shown: the lowest that measured; absent when none did
 * @param trials     that rank's measured table; empty when no rank measured
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TuningSummary(List<Choice> choices, Integer trialsRank, List<TuningTrial> trials) {
    public TuningSummary {
        choices = choices == null ? List.of() : List.copyOf(choices);
        trials = trials == null ? List.of() : List.copyOf(trials);
    }

    /**
     * A setting some workers computed with.
     *
     * @param source            {@link Tuning#GIVEN} or {@link Tuning#MEASURED}
     * @param batchSize         samples per forward call
     * @param replicas          replicas per worker
     * @param threadsPerReplica intra-op threads of each replica
     * @param workers           how many workers used it
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Choice(String source, int batchSize, int replicas, int threadsPerReplica, int workers) {
    }
}
