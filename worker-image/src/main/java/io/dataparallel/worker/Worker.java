package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.output.OutputClaim;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.ProvenanceCheck;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.summary.QualityData;
import io.dataparallel.worker.tuning.ComputeTuner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rank of an InferenceJob. Loads the model once, then for each of its partitions:
 * skip it when done (resume), record it failed when its own input is bad, otherwise compute it while the next one downloads and the
 * previous one uploads; a partition's prediction is written in one PUT, then its progress;
 * the rank result comes last. Memory holds at most the partition computing, the one
 * prefetched and the predictions uploading.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** How long choosing the batch size and replicas may take: a few seconds against a rank's minutes. */
    static final double TUNING_BUDGET_SECONDS = 3;

    private final Plan plan;
    private final int rank;
    private final ObjectStore store;
    private final Path tempDir;
    private final int threads;
    private final boolean overlap;
    /** One compute thread fewer while a download is in flight ({@link WorkerEnv#yieldCore()}). */
    private boolean yieldCore;
    private final long startedMs;
    private final ModelCache models;
    private final RankReporter reporter;
    private final OutputLayout layout;
    private final S3RequestTimer requests = new S3RequestTimer();
    private String current;
    /** How this rank computes: given by the spec or chosen on its first partition with rows; null until then. */
    private Tuning tuning;
    /** The upload in flight, if any: a failure elsewhere still lets it finish, so no finished work is lost. */
    private Future<?> uploading;

    public Worker(Plan plan, int rank, ObjectStore store, Path tempDir, int threads, boolean overlap, long startedMs) {
        this(plan, rank, store, tempDir, threads, overlap, startedMs, ModelCache.forOneRank());
    }

    /** @param models the process's model: a slot's keeps it loaded for its next rank */
    Worker(Plan plan, int rank, ObjectStore store, Path tempDir, int threads, boolean overlap, long startedMs, ModelCache models) {
        this.models = models;
        this.plan = plan;
        this.rank = rank;
        this.store = store;
        this.tempDir = tempDir;
        this.threads = threads;
        this.overlap = overlap;
        this.startedMs = startedMs;
        this.layout = OutputLayout.of(plan.spec().output().uri()); // bound once; the reporter and the loader share it
        this.reporter = new RankReporter(store, layout, plan, rank, startedMs, requests);
    }

    /**
     * Runs this rank to the end. A partition whose own input is bad is recorded as failed and the
     * rank goes on ({@link FailureRule}); the result lists it, and the caller exits BAD_INPUT.
     * Throws {@link BadInputException} for input that fails the whole rank (model, spec, output).
     */
    public RankResult run() {
        InferenceJobSpec spec = plan.spec();
        OutputClaim.verify(store, layout, plan.job());
        List<Partition> mine = plan.partitionsOf(rank);
        reporter.started();
        LOG.info("rank {}/{}: {} partitions, {} threads, device {}", rank, plan.worldSize(), mine.size(), threads,
                spec.deviceOrDefault());
        ExecutorService prefetch = Executors.newSingleThreadExecutor(daemon("prefetch-" + rank));
        ExecutorService upload = Executors.newSingleThreadExecutor(daemon("upload-" + rank));
        PartitionLoader loader = new PartitionLoader(store, layout, plan, requests);
        try {
            // the finished partitions are checked, and the first one to compute downloads, while the model loads
            Future<?> scanned = prefetch.submit(() -> loader.scan(mine));
            Future<LoadedPartition> next = mine.isEmpty() || !overlap ? null : prefetch.submit(() -> loader.load(mine.get(0)));
            long t0 = System.nanoTime();
            try (ModelCache.Lease lease = models.lease(plan, store, tempDir, rank)) {
                ModelRunner model = lease.model(); // a slot's later ranks only check it is still the planned one
                double modelLoadSeconds = (System.nanoTime() - t0) / 1e9;
                await(scanned); // nothing is computed before every prediction to skip is known to be this plan's
                reporter.modelLoaded();
                FailureRule rule = new FailureRule();
                for (int i = 0; i < mine.size(); i++) {
                    current = mine.get(i).key();
                    LoadedPartition loaded = loadOrFail(overlap ? next : null, loader, mine.get(i));
                    int following = i + 1;
                    next = overlap && following < mine.size() ? prefetch.submit(() -> loader.load(mine.get(following))) : null;
                    Future<LoadedPartition> inFlight = next;
                    BooleanSupplier downloading = () -> yieldCore && inFlight != null && !inFlight.isDone();
                    if (loaded == null) {
                        continue;
                    }
                    if (loaded.resumed()) {
                        reporter.finished(loaded.earlier()); // an earlier attempt computed it: its figures stay
                        continue;
                    }
                    Outputs outputs;
                    long computeStarted;
                    long c0;
                    try {
                        computeStarted = System.currentTimeMillis(); // the trials compute this partition's first rows
                        c0 = System.nanoTime();
                        if (tuning == null && loaded.rows() > 0) { // once, on the first partition with rows
                            ModelTrial trial = new ModelTrial(model, current, inputs(spec, loaded), loaded.rows(),
                                    SystemInfo.memoryGb() * 1000);
                            tuning = tune(trial, spec, loaded);
                            outputs = model.finish(current, inputs(spec, loaded), trial.kept(), loaded.rows(), tuning.batchSize(),
                                    new Replicas(tuning.replicas(), tuning.threadsPerReplica()), downloading);
                        } else {
                            outputs = tuning == null
                                    ? model.run(current, inputs(spec, loaded), loaded.rows(), spec.batchSizeOrDefault())
                                    : model.run(current, inputs(spec, loaded), loaded.rows(), tuning.batchSize(),
                                            new Replicas(tuning.replicas(), tuning.threadsPerReplica()), downloading);
                        }
                    } catch (BadInputException e) {
                        failed(current, rule.forwardFailed(current, e)); // throws when the model or spec is at fault
                        continue;
                    }
                    rule.computed();
                    List<NpyArray> quality;
                    try {
                        quality = qualityData(spec, loaded, outputs);
                    } catch (BadInputException e) {
                        failed(current, e.getMessage()); // the labels of this partition
                        continue;
                    }
                    double computeSeconds = (System.nanoTime() - c0) / 1e9;
                    await(uploading); // at most one partition's predictions in flight
                    uploading = upload.submit(() -> write(loaded, outputs, quality, computeStarted, computeSeconds));
                    if (!overlap) {
                        await(uploading);
                    }
                }
                await(uploading);
                current = null;
                RankResult result = reporter.complete(tuning, tuning == null ? spec.batchSizeOrDefault() : tuning.batchSize(),
                        model.deviceName(), threads, modelLoadSeconds);
                LOG.info("rank {} done: {} samples computed in {} s ({} samples/s compute-only), end to end {} s",
                        rank, result.computedSamples(), round(result.computeSeconds()), round(result.samplesPerSecond()),
                        round(result.endToEndSeconds()));
                return result;
            }
        } catch (RuntimeException e) {
            finishUpload();
            reporter.failed(current, e.getMessage());
            throw e;
        } finally {
            prefetch.shutdownNow();
            upload.shutdownNow();
        }
    }

    /**
     * The batch size and replicas this rank computes with: those the spec gives, the others
     * timed on the first rows of {@code loaded} ({@link ComputeTuner}), which {@code trial} keeps.
     */
    private Tuning tune(ModelTrial trial, InferenceJobSpec spec, LoadedPartition loaded) {
        Tuning t = new ComputeTuner(trial).tune(new ComputeTuner.Request(spec.batchSize(), spec.replicas(), threads,
                spec.deviceOrDefault() == Device.gpu, loaded.rows(), TUNING_BUDGET_SECONDS));
        LOG.info("rank {}: batch size {}, {} replica(s) x {} thread(s) ({}{})", rank, t.batchSize(), t.replicas(),
                t.threadsPerReplica(), t.source(), t.trials().isEmpty() ? "" : ", " + t.trials().size() + " trials in "
                        + round(t.seconds()) + " s");
        return t;
    }

    /** The partition from {@code pending} (or loaded now, when null); null when its object is bad, recorded as failed. */
    private LoadedPartition loadOrFail(Future<LoadedPartition> pending, PartitionLoader loader, Partition p) {
        try {
            return pending != null ? await(pending) : loader.load(p);
        } catch (BadInputException e) {
            failed(p.key(), e.getMessage()); // this partition's object is bad; the next is another object
            return null;
        }
    }

    private void failed(String partition, String reason) {
        LOG.warn("rank {}: partition {} failed, going on with the others: {}", rank, partition, reason);
        reporter.partitionFailed(partition, reason);
    }

    private void finishUpload() {
        if (uploading == null || uploading.isDone()) {
            return; // nothing in flight, or it already failed: that failure is the one being reported
        }
        try {
            await(uploading);
        } catch (RuntimeException alsoFailed) {
            LOG.warn("rank {}: the last prediction upload failed too: {}", rank, alsoFailed.getMessage());
        }
    }

    private static List<NpyArray> inputs(InferenceJobSpec spec, LoadedPartition loaded) {
        List<NpyArray> in = new ArrayList<>();
        for (String name : spec.model().inputs()) {
            in.add(loaded.arrays().get(name));
        }
        return in;
    }

    private static List<NpyArray> qualityData(InferenceJobSpec spec, LoadedPartition loaded, Outputs outputs) {
        String labels = spec.data().labels();
        if (labels == null) {
            return List.of();
        }
        return QualityData.compute(loaded.arrays().get(labels), outputs.arrays().get(0));
    }

    /** Quality data first, then the prediction (its presence means done), then progress. */
    private Void write(LoadedPartition loaded, Outputs outputs, List<NpyArray> quality,
                       long computeStarted, double computeSeconds) {
        Partition p = loaded.partition();
        long u0 = System.nanoTime();
        if (!quality.isEmpty()) {
            byte[] bytes = Npz.toBytes(quality);
            requests.time(() -> store.put(layout.quality(p.key()), bytes, "application/octet-stream", Map.of(), false, OutputLayout.FIELD));
        }
        byte[] prediction = Npz.toBytes(outputs.arrays());
        // the prediction carries its figures as of its PUT, so that a run resuming past it keeps them
        Map<String, String> meta = ProvenanceCheck.metadata(plan, p, result(loaded, outputs, computeStarted, computeSeconds, u0));
        boolean created = requests.time(() -> store.put(layout.prediction(p.key()), prediction, "application/octet-stream",
                meta, true, OutputLayout.FIELD));
        if (!created) {
            LOG.info("rank {}: prediction of {} was written meanwhile by another attempt; keeping it", rank, p.key());
        }
        reporter.finished(result(loaded, outputs, computeStarted, computeSeconds, u0));
        return null;
    }

    /** The partition's figures, its upload timed from {@code uploadStartedNanos} to now. */
    private static PartitionResult result(LoadedPartition loaded, Outputs outputs, long computeStarted,
                                          double computeSeconds, long uploadStartedNanos) {
        Partition p = loaded.partition();
        return new PartitionResult(p.key(), loaded.rows(), p.size(), outputs.batches(), false, loaded.downloadSeconds(),
                loaded.decodeSeconds(), computeSeconds, (System.nanoTime() - uploadStartedNanos) / 1e9, loaded.startedMs(),
                computeStarted, System.currentTimeMillis());
    }

    /** Computes with one intra-op thread fewer while the next partition downloads (an experiment, off by default). */
    Worker yieldingCoreToDownloads(boolean value) {
        this.yieldCore = value;
        return this;
    }

    private static <T> T await(Future<T> future) {
        if (future == null) {
            return null;
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(cause);
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static String round(double v) {
        return String.format("%.2f", v);
    }
}
