package io.dataparallel.worker.tuning;

import io.dataparallel.api.result.TuningTrial;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The choice among timed trials: the most samples per second; a tie goes to the smaller batch, then to fewer replicas. */
public final class TuningChoice {
    private TuningChoice() {
    }

    /** The fastest usable trial, if any was timed and fit. */
    public static Optional<TuningTrial> fastest(List<TuningTrial> trials) {
        return trials.stream().filter(TuningTrial::usable).max(Comparator.comparingDouble(TuningTrial::samplesPerSecond)
                .thenComparing(TuningTrial::batchSize, Comparator.reverseOrder())
                .thenComparing(TuningTrial::replicas, Comparator.reverseOrder()));
    }
}
