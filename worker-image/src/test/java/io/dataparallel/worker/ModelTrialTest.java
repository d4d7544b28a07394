package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.result.TuningTrial;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.worker.tuning.ComputeTuner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trials' rows are the partition's first rows, kept: the worker goes on from there and computes none twice. */
class ModelTrialTest {
    private static final Path MODEL = WorkerEndToEndTest.EXAMPLES.resolve("models/astro-redshift.pt");
    private static final ModelSpec SPEC = new ModelSpec("s3://m/astro.pt", List.of("images", "magnitudes"), List.of("redshift_pred"));

    @BeforeAll
    static void djl() {
        DjlSetup.configure(2, Map.of());
    }

    @Test
    void trialsKeepTheirRowsAndTheRestContinuesFromThemWithTheSameOutputs() {
        Map<String, NpyArray> part = Npz.read(WorkerEndToEndTest.EXAMPLES.resolve("reference/astro-small.npz"), null);
        List<NpyArray> inputs = List.of(part.get("images"), part.get("magnitudes"));
        long rows = inputs.get(0).rows(); // 37
        try (ModelRunner model = ModelRunner.load(MODEL, SPEC, false, "s3://m/astro.pt")) {
            double[] plain = model.run("p", inputs, rows, 4).arrays().get(0).toDoubles();
            ModelTrial trial = new ModelTrial(model, "p", inputs, rows, 0);
            // batch size given, 2 CPUs: two warm-up calls of 4 rows, then 1 replica x 2 threads (4 rows), 2 x 1 (8 rows)
            Tuning t = new ComputeTuner(trial).tune(new ComputeTuner.Request(4, null, 2, false, rows, 30));
            assertEquals(List.of(4L, 8L), t.trials().stream().map(TuningTrial::samples).toList());
            assertEquals(20, trial.kept().rows());
            assertEquals(5, trial.kept().batches());
            Outputs out = model.finish("p", inputs, trial.kept(), rows, t.batchSize(),
                    new Replicas(t.replicas(), t.threadsPerReplica()), () -> false);
            assertEquals(10, out.batches()); // 37 rows in batches of 4, each computed once
            double[] ours = out.arrays().get(0).toDoubles();
            assertEquals(rows, ours.length);
            assertTrue(WorkerEndToEndTest.maxAbsDiff(plain, ours) <= 1e-6, "trial rows and the rest match a plain run");
        }
    }

    @Test
    void trialsPastThePartitionsRowsTimeTheFirstRowsAgainAndDropThem() {
        Map<String, NpyArray> part = Npz.read(WorkerEndToEndTest.EXAMPLES.resolve("reference/astro-small.npz"), null);
        List<NpyArray> inputs = List.of(part.get("images"), part.get("magnitudes"));
        long rows = inputs.get(0).rows();
        try (ModelRunner model = ModelRunner.load(MODEL, SPEC, false, "s3://m/astro.pt")) {
            double[] plain = model.run("p", inputs, rows, 16).arrays().get(0).toDoubles();
            ModelTrial trial = new ModelTrial(model, "p", inputs, rows, 0);
            // warm-ups keep rows 0-31; the 16-row trial would pass row 37, so it times rows 0-15 again and drops them
            Tuning t = new ComputeTuner(trial).tune(new ComputeTuner.Request(null, 1, 2, false, rows, 30));
            assertEquals(16, t.trials().get(0).samples());
            assertEquals(32, trial.kept().rows());
            Outputs out = model.finish("p", inputs, trial.kept(), rows, 16, new Replicas(1, 2), () -> false);
            assertTrue(WorkerEndToEndTest.maxAbsDiff(plain, out.arrays().get(0).toDoubles()) <= 1e-6);
        }
    }
}
