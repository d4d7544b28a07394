package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * How a worker computed: its batch size and its replicas with their intra-op threads, either
 * as the spec gave them or chosen by timing candidates on the first rows of its first
 * partition to compute (the fastest that fit in memory).
 *
 * @param source            {@link #GIVEN} when {@code spec.batchSize} and {@code spec.replicas} were both set,
 *                          {@link #MEASURED} when at least one of them was chosen by the trials, {@link #ONLY_ONE}
 *                          when the spec left one open but there was nothing to choose from (its batch size on
 *                          one CPU): no trial ran
 * @param batchSize         samples per forward call
 * @param replicas          model replicas computing batches at once
 * @param threadsPerReplica intra-op threads of each replica
 * @param seconds           time the trials took (0 when given)
 * @param trials            the measured table, in the order run; empty when given
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tuning(String source, int batchSize, int replicas, int threadsPerReplica, double seconds, List<TuningTrial> trials) {
    public static final String GIVEN = "given";
    public static final String MEASURED = "measured";
    public static final String ONLY_ONE = "only-one";

    public Tuning {
        trials = trials == null ? List.of() : List.copyOf(trials);
    }
}
