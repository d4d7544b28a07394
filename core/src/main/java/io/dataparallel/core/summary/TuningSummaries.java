package io.dataparallel.core.summary;

import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.result.TuningSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The job's {@link TuningSummary} from its rank results: the settings used, and the lowest measuring rank's table. */
final class TuningSummaries {
    private TuningSummaries() {
    }

    /** Null when no rank recorded how it computed (it computed nothing, or an older worker wrote it). */
    static TuningSummary of(List<RankResult> results) {
        List<RankResult> tuned = results.stream().filter(r -> r.tuning() != null)
                .sorted(Comparator.comparingInt(RankResult::rank)).toList();
        if (tuned.isEmpty()) {
            return null;
        }
        Map<TuningSummary.Choice, Integer> counts = new LinkedHashMap<>();
        for (RankResult r : tuned) {
            Tuning t = r.tuning();
            counts.merge(new TuningSummary.Choice(t.source(), t.batchSize(), t.replicas(), t.threadsPerReplica(), 0), 1,
                    Integer::sum);
        }
        List<TuningSummary.Choice> choices = new ArrayList<>();
        counts.forEach((c, n) -> choices.add(new TuningSummary.Choice(c.source(), c.batchSize(), c.replicas(),
                c.threadsPerReplica(), n)));
        choices.sort(Comparator.comparingInt(TuningSummary.Choice::workers).reversed()); // stable: ties by lowest rank
        RankResult measuring = tuned.stream().filter(r -> !r.tuning().trials().isEmpty()).findFirst().orElse(null);
        return new TuningSummary(choices, measuring == null ? null : measuring.rank(),
                measuring == null ? List.of() : measuring.tuning().trials());
    }
}
