package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.result.TuningSummary;
import io.dataparallel.api.result.TuningTrial;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class TuningSummariesTest {
    static final List<TuningTrial> TABLE = List.of(new TuningTrial(16, 1, 2, 16, 0.1, 160, null),
            new TuningTrial(32, 1, 2, 32, 0.16, 200, null), new TuningTrial(32, 2, 1, 64, 0.29, 220.7, null),
            new TuningTrial(64, 1, 2, 64, 0, 0, "over the 3.0 s tuning budget"));

    static RankResult rank(int rank, Tuning tuning) {
        return SummarizerTest.result(rank, "h", 100, 2.0, 1_000, 5_000, "p" + rank + ".npz").withTuning(tuning);
    }

    static Plan plan() {
        InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec("s3://models/m.pt", List.of("x"), null),
                new DataSpec("s3://data/in/", null, null), new OutputSpec("s3://out/run/"));
        return new Plan(1, new JobRef("ns", "job", "u"), spec, 2, List.of("p0.npz", "p1.npz"), List.of(1000L, 1000L),
                List.of("a", "b"), List.of(0, 1, 2), List.of());
    }

    @Test
    void choicesAreCountedMostUsedFirstAndTheLowestMeasuringRanksTableIsShown() {
        Tuning measured = new Tuning(Tuning.MEASURED, 32, 2, 1, 0.6, TABLE);
        Tuning other = new Tuning(Tuning.MEASURED, 16, 1, 2, 0.5, TABLE.subList(0, 1));
        // rank 2 listed first: the table shown is still rank 1's, the lowest that measured
        TuningSummary s = TuningSummaries.of(List.of(rank(2, other), rank(3, measured), rank(1, measured), rank(0, null)));
        assertEquals(List.of(new TuningSummary.Choice(Tuning.MEASURED, 32, 2, 1, 2), new TuningSummary.Choice(Tuning.MEASURED, 16, 1, 2, 1)),
                s.choices());
        assertEquals(1, s.trialsRank());
        assertEquals(TABLE, s.trials());
    }

    @Test
    void givenSettingsHaveNoTableAndOldResultsNoTuning() {
        TuningSummary given = TuningSummaries.of(List.of(rank(0, new Tuning(Tuning.GIVEN, 512, 1, 2, 0, List.of()))));
        assertEquals(List.of(new TuningSummary.Choice(Tuning.GIVEN, 512, 1, 2, 1)), given.choices());
        assertNull(given.trialsRank());
        assertEquals(List.of(), given.trials());
        assertNull(TuningSummaries.of(List.of(rank(0, null))));
    }

    @Test
    void theSummaryCarriesItThroughJsonAndLeavesItOutWhenAbsent() {
        Tuning measured = new Tuning(Tuning.MEASURED, 32, 2, 1, 0.6, TABLE);
        Summary with = Summaries.of(plan(), "h", List.of(rank(0, measured), rank(1, measured)), List.of(), 200, 2,
                List.of(), List.of(), false, null, JobRecord.NONE);
        String json = new String(Json.write(with));
        assertEquals(with.tuning(), Json.read(Json.write(with), Summary.class).tuning());
        assertEquals(true, json.contains("\"tuning\":{\"choices\":[{\"source\":\"measured\",\"batch_size\":32"), json);
        assertEquals(true, json.contains("\"skipped\":\"over the 3.0 s tuning budget\""), json);
        Summary without = Summaries.of(plan(), "h", List.of(rank(0, null)), List.of(), 100, 1,
                List.of(1), List.of(), false, null, JobRecord.NONE);
        assertEquals(false, new String(Json.write(without)).contains("tuning"));
    }
}
