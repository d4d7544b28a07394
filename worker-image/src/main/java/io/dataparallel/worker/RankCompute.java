package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.worker.tuning.ComputeTuner;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one rank computes its partitions: with the batch size and replicas the spec gives, the
 * others chosen once, on the first partition with rows ({@link ComputeTuner}), whose trial rows
 * count toward that partition's outputs.
 */
final class RankCompute {
    private static final Logger LOG = LoggerFactory.getLogger(RankCompute.class);
    /** How long choosing the batch size and replicas may take: a few seconds against a rank's minutes. */
    static final double TUNING_BUDGET_SECONDS = 3;

    private final ModelRunner model;
    private final InferenceJobSpec spec;
    private final int rank;
    private final int threads;
    /** Given by the spec or chosen on the first partition with rows; null until then. */
    private Tuning tuning;

    RankCompute(ModelRunner model, InferenceJobSpec spec, int rank, int threads) {
        this.model = model;
        this.spec = spec;
        this.rank = rank;
        this.threads = threads;
    }

    /**
     * The outputs of {@code loaded}'s rows; {@code downloading} says when a download is in flight
     * (a compute thread may yield to it). Throws {@link BadInputException} when its input is bad.
     */
    Outputs compute(String key, LoadedPartition loaded, BooleanSupplier downloading) {
        List<NpyArray> in = inputs(loaded);
        if (tuning == null && loaded.rows() > 0) {
            ModelTrial trial = new ModelTrial(model, key, in, loaded.rows(), SystemInfo.memoryGb() * 1000);
            tuning = tune(trial, loaded);
            return model.finish(key, in, trial.kept(), loaded.rows(), tuning.batchSize(), replicas(), downloading);
        }
        return tuning == null ? model.run(key, in, loaded.rows(), spec.batchSizeOrDefault())
                : model.run(key, in, loaded.rows(), tuning.batchSize(), replicas(), downloading);
    }

    /** What this rank computed with; null when it computed no rows. */
    Tuning tuning() {
        return tuning;
    }

    int batchSize() {
        return tuning == null ? spec.batchSizeOrDefault() : tuning.batchSize();
    }

    private Replicas replicas() {
        return new Replicas(tuning.replicas(), tuning.threadsPerReplica());
    }

    private Tuning tune(ModelTrial trial, LoadedPartition loaded) {
        Tuning t = new ComputeTuner(trial).tune(new ComputeTuner.Request(spec.batchSize(), spec.replicas(), threads,
                spec.deviceOrDefault() == Device.gpu, loaded.rows(), TUNING_BUDGET_SECONDS));
        LOG.info("rank {}: batch size {}, {} replica(s) x {} thread(s) ({}{})", rank, t.batchSize(), t.replicas(),
                t.threadsPerReplica(), t.source(), t.trials().isEmpty() ? "" : ", " + t.trials().size() + " trials in "
                        + String.format("%.2f", t.seconds()) + " s");
        return t;
    }

    /** The partition's arrays in the model's input order. */
    private List<NpyArray> inputs(LoadedPartition loaded) {
        List<NpyArray> in = new ArrayList<>();
        for (String name : spec.model().inputs()) {
            in.add(loaded.arrays().get(name));
        }
        return in;
    }
}
