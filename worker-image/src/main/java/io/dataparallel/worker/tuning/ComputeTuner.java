package io.dataparallel.worker.tuning;

import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.result.TuningTrial;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Chooses the batch size and the replicas × threads split a worker computes with, by timing
 * candidates on the first rows of its first partition, when the spec does not give them.
 * First the batch sizes (16 to 1,024, those the rows allow) with one replica on every CPU,
 * then, at the fastest batch size, the splits of the CPUs into replicas; the fastest trial
 * that fit in memory wins ({@link TuningChoice}). A time budget bounds the whole: a trial
 * that would end past it, judged from the last trial's speed, is skipped and recorded so.
 * Outputs do not depend on the choice beyond rounding (batches are independent, rows stay in
 * order), so the choice only moves speed.
 *
 * <p>The model is run through a {@link Trial}, so the same measurement serves the worker (on
 * its first partition) and anyone profiling a model ahead of a run, and tests can inject the
 * timings.
 */
public final class ComputeTuner {
    /** Runs the model for a trial. */
    @FunctionalInterface
    public interface Trial {
        /**
         * Computes the first {@code samples} rows with {@code setting} and returns the seconds it took.
         *
         * @throws DoesNotFit when it ran out of memory, or used more than the worker may
         */
        double seconds(Setting setting, long samples) throws DoesNotFit;
    }

    /** A setting that needs more memory than the worker has. */
    public static final class DoesNotFit extends Exception {
        public DoesNotFit(String why) {
            super(why);
        }
    }

    /**
     * What to choose.
     *
     * @param batchSize     {@code spec.batchSize}, or null to choose it
     * @param replicas      {@code spec.replicas}, or null to choose it
     * @param cpus          the CPUs the worker may use
     * @param gpu           whether it computes on a GPU
     * @param rows          rows available for trials (the first partition's)
     * @param budgetSeconds how long the trials may take, warm-up included
     */
    public record Request(Integer batchSize, Integer replicas, int cpus, boolean gpu, long rows, double budgetSeconds) {
    }

    /** Forward calls run untimed first: TorchScript's profiling executor optimises the graph on its first calls. */
    static final int WARM_UP_CALLS = 2;

    private final Trial trial;
    private final LongSupplier nanoTime;

    public ComputeTuner(Trial trial) {
        this(trial, System::nanoTime);
    }

    /** @param nanoTime the clock the budget is kept with (tests give a fake one) */
    public ComputeTuner(Trial trial, LongSupplier nanoTime) {
        this.trial = trial;
        this.nanoTime = nanoTime;
    }

    /** The setting to compute with: as given when the request gives both, else chosen by trials. */
    public Tuning tune(Request request) {
        if (request.batchSize() != null && request.replicas() != null) {
            Setting s = Setting.split(request.batchSize(), request.replicas(), request.cpus(), request.gpu());
            return new Tuning(Tuning.GIVEN, s.batchSize(), s.replicas(), s.threadsPerReplica(), 0, List.of());
        }
        long started = nanoTime.getAsLong();
        List<Integer> sizes = request.batchSize() != null ? List.of(request.batchSize()) : Setting.batchCandidates(request.rows());
        Setting first = Setting.split(sizes.get(0), request.replicas(), request.cpus(), request.gpu());
        if (sizes.size() == 1 && (request.replicas() != null || Setting.replicaCandidates(request.cpus(), request.gpu()).size() == 1)) {
            // one setting is possible: timing it would only delay the partition (a worker on one CPU, batch size given)
            return new Tuning(Tuning.ONLY_ONE, first.batchSize(), first.replicas(), first.threadsPerReplica(), 0, List.of());
        }
        warmUp(first, request.rows());
        List<TuningTrial> trials = new ArrayList<>();
        for (int size : sizes) {
            trials.add(time(Setting.split(size, request.replicas(), request.cpus(), request.gpu()), request, started, trials));
        }
        if (request.replicas() == null) {
            int size = TuningChoice.fastest(trials).map(TuningTrial::batchSize).orElse(sizes.get(0));
            for (int count : Setting.replicaCandidates(request.cpus(), request.gpu())) {
                Setting s = Setting.split(size, count, request.cpus(), request.gpu());
                if (s.replicas() != first.replicas()) { // one replica at this size was timed above
                    trials.add(time(s, request, started, trials));
                }
            }
        }
        double seconds = (nanoTime.getAsLong() - started) / 1e9;
        TuningTrial best = TuningChoice.fastest(trials).orElse(null);
        Setting chosen = best == null ? first : new Setting(best.batchSize(), best.replicas(), best.threadsPerReplica());
        return new Tuning(Tuning.MEASURED, chosen.batchSize(), chosen.replicas(), chosen.threadsPerReplica(), seconds, trials);
    }

    private void warmUp(Setting setting, long rows) {
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            try {
                trial.seconds(new Setting(setting.batchSize(), 1, setting.threadsPerReplica() * setting.replicas()),
                        Math.min(rows, setting.batchSize()));
            } catch (DoesNotFit e) {
                return; // the trial of this setting records it
            }
        }
    }

    private TuningTrial time(Setting s, Request request, long started, List<TuningTrial> before) {
        long samples = Math.min(request.rows(), (long) s.batchSize() * s.replicas()); // one batch per replica
        double elapsed = (nanoTime.getAsLong() - started) / 1e9;
        TuningTrial last = lastTimed(before);
        if (last != null && elapsed + samples / last.samplesPerSecond() > request.budgetSeconds()) {
            return new TuningTrial(s.batchSize(), s.replicas(), s.threadsPerReplica(), samples, 0, 0,
                    "over the " + request.budgetSeconds() + " s tuning budget");
        }
        try {
            double seconds = trial.seconds(s, samples);
            return new TuningTrial(s.batchSize(), s.replicas(), s.threadsPerReplica(), samples, seconds,
                    seconds > 0 ? samples / seconds : 0, seconds > 0 ? null : "no time measured");
        } catch (DoesNotFit e) {
            return new TuningTrial(s.batchSize(), s.replicas(), s.threadsPerReplica(), samples, 0, 0,
                    "does not fit: " + e.getMessage());
        }
    }

    private static TuningTrial lastTimed(List<TuningTrial> trials) {
        for (int i = trials.size() - 1; i >= 0; i--) {
            if (trials.get(i).usable()) {
                return trials.get(i);
            }
        }
        return null;
    }
}
