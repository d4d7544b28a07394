package io.dataparallel.worker.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.result.TuningTrial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The choice logic on injected timings: no model, no clock of the machine. */
class ComputeTunerTest {
    /** A model whose speed per sample depends on the setting; a fake clock advances by each trial's seconds. */
    static final class FakeModel implements ComputeTuner.Trial {
        final Map<Setting, Double> secondsPerSample;
        final List<Setting> doesNotFit;
        final List<String> calls = new ArrayList<>();
        long now;

        FakeModel(Map<Setting, Double> secondsPerSample, List<Setting> doesNotFit) {
            this.secondsPerSample = secondsPerSample;
            this.doesNotFit = doesNotFit;
        }

        @Override
        public double seconds(Setting s, long samples) throws ComputeTuner.DoesNotFit {
            calls.add(s.batchSize() + "x" + s.replicas() + "x" + s.threadsPerReplica() + ":" + samples);
            if (doesNotFit.contains(s)) {
                throw new ComputeTuner.DoesNotFit("too big");
            }
            double seconds = samples * secondsPerSample.getOrDefault(s, 0.001);
            now += (long) (seconds * 1e9);
            return seconds;
        }

        ComputeTuner tuner() {
            return new ComputeTuner(this, () -> now);
        }
    }

    @Test
    void givenBatchSizeAndReplicasAreKeptWithoutTrials() {
        FakeModel model = new FakeModel(Map.of(), List.of());
        Tuning t = model.tuner().tune(new ComputeTuner.Request(64, 2, 8, false, 1000, 3));
        assertEquals(new Tuning(Tuning.GIVEN, 64, 2, 4, 0, List.of()), t);
        assertTrue(model.calls.isEmpty());
    }

    @Test
    void nothingIsTimedWhenOnlyOneSettingIsPossible() {
        FakeModel model = new FakeModel(Map.of(), List.of());
        // the spec's batch size on one CPU: one replica of one thread is all there is
        Tuning t = model.tuner().tune(new ComputeTuner.Request(512, null, 1, false, 1000, 3));
        assertEquals(new Tuning(Tuning.ONLY_ONE, 512, 1, 1, 0, List.of()), t);
        assertTrue(model.calls.isEmpty());
        // two CPUs leave two splits to time
        FakeModel two = new FakeModel(Map.of(), List.of());
        assertEquals(Tuning.MEASURED, two.tuner().tune(new ComputeTuner.Request(512, null, 2, false, 1000, 3)).source());
        assertTrue(!two.calls.isEmpty());
    }

    @Test
    void replicasNeverOutnumberTheCpusOnTheCpuButMayOnAGpu() {
        FakeModel model = new FakeModel(Map.of(), List.of());
        assertEquals(2, model.tuner().tune(new ComputeTuner.Request(64, 8, 2, false, 1000, 3)).replicas());
        Tuning gpu = model.tuner().tune(new ComputeTuner.Request(64, 3, 2, true, 1000, 3));
        assertEquals(List.of(3, 1), List.of(gpu.replicas(), gpu.threadsPerReplica()));
    }

    @Test
    void theFastestBatchSizeThenTheFastestSplitIsChosen() {
        FakeModel model = new FakeModel(Map.of(
                new Setting(16, 1, 4), 0.004, new Setting(32, 1, 4), 0.002, new Setting(64, 1, 4), 0.003,
                new Setting(32, 2, 2), 0.0015, new Setting(32, 4, 1), 0.0018), List.of());
        Tuning t = model.tuner().tune(new ComputeTuner.Request(null, null, 4, false, 100, 100));
        assertEquals(Tuning.MEASURED, t.source());
        assertEquals(List.of(32, 2, 2), List.of(t.batchSize(), t.replicas(), t.threadsPerReplica()));
        // 100 rows: 16, 32 and 64 with one replica; then 2 and 4 replicas at 32, one batch each (4 x 32 > 100 rows: 100)
        assertEquals(List.of("16x1x4:16", "16x1x4:16", "16x1x4:16", "32x1x4:32", "64x1x4:64", "32x2x2:64", "32x4x1:100"),
                model.calls); // two warm-up calls first
        assertEquals(5, t.trials().size());
        assertEquals(1 / 0.0015, t.trials().get(3).samplesPerSecond(), 1e-9);
    }

    @Test
    void givenReplicasOnlyTimesBatchSizesAtThatSplit() {
        FakeModel model = new FakeModel(Map.of(new Setting(16, 2, 1), 0.001, new Setting(32, 2, 1), 0.002), List.of());
        Tuning t = model.tuner().tune(new ComputeTuner.Request(null, 2, 2, false, 40, 100));
        assertEquals(List.of(16, 2, 1), List.of(t.batchSize(), t.replicas(), t.threadsPerReplica()));
        assertEquals(List.of(16, 32), t.trials().stream().map(TuningTrial::batchSize).toList());
    }

    @Test
    void aSettingThatDoesNotFitIsNeverChosenHoweverFast() {
        Setting big = new Setting(64, 1, 2);
        FakeModel model = new FakeModel(Map.of(new Setting(16, 1, 2), 0.004, new Setting(32, 1, 2), 0.003, big, 0.0001,
                new Setting(32, 2, 1), 0.005), List.of(big));
        Tuning t = model.tuner().tune(new ComputeTuner.Request(null, null, 2, false, 64, 100));
        assertEquals(List.of(32, 1, 2), List.of(t.batchSize(), t.replicas(), t.threadsPerReplica()));
        TuningTrial refused = t.trials().get(2);
        assertEquals("does not fit: too big", refused.skipped());
    }

    @Test
    void trialsThatWouldPassTheBudgetAreSkippedAndRecorded() {
        // 1,000 rows: batch sizes up to 512. 0.01 s per sample: warm-up 0.32 s, batch 16 0.16 s, 32 0.32 s; 64 would end at 1.44 s, past a 1 s budget
        FakeModel model = new FakeModel(Map.of(new Setting(16, 1, 1), 0.01, new Setting(32, 1, 1), 0.01,
                new Setting(64, 1, 1), 0.01), List.of());
        Tuning t = model.tuner().tune(new ComputeTuner.Request(null, null, 1, false, 1000, 1));
        assertEquals(List.of(16, 32, 64, 128, 256, 512), t.trials().stream().map(TuningTrial::batchSize).toList());
        assertNull(t.trials().get(1).skipped());
        assertTrue(t.trials().get(2).skipped().startsWith("over the"));
        assertEquals(16, t.batchSize()); // a tie in speed goes to the smaller batch
        assertEquals(4, model.calls.size());
    }

    @Test
    void tiesGoToTheSmallerBatchThenFewerReplicas() {
        List<TuningTrial> trials = List.of(new TuningTrial(64, 2, 1, 128, 1, 128, null), new TuningTrial(64, 1, 2, 64, 0.5, 128, null),
                new TuningTrial(32, 2, 1, 64, 0.5, 128, null), new TuningTrial(16, 1, 2, 16, 0, 0, "over the budget"));
        assertEquals(trials.get(2), TuningChoice.fastest(trials).orElseThrow());
        assertEquals(trials.get(1), TuningChoice.fastest(trials.subList(0, 2)).orElseThrow());
    }
}
