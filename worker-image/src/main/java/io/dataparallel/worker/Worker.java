package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.concurrent.Futures;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.output.OutputClaim;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.summary.QualityData;
import io.dataparallel.worker.PartitionWriter.Computed;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    /** The partition being worked on, for the failure report; null between partitions and at the end. */
    private String current;

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
        this.layout = OutputLayout.of(plan.spec().output()); // bound once; the reporter and the loader share it
        this.reporter = new RankReporter(store, layout, plan, rank, startedMs, requests);
    }

    /**
     * Runs this rank to the end. A partition whose own input is bad is recorded as failed and the
     * rank goes on ({@link FailureRule}); the result lists it, and the caller exits BAD_INPUT.
     * Throws {@link BadInputException} for input that fails the whole rank (model, spec, output).
     */
    public RankResult run() {
        OutputClaim.verify(store, layout, plan.job());
        List<Partition> mine = plan.partitionsOf(rank);
        reporter.started();
        LOG.info("rank {}/{}: {} partitions, {} threads, device {}", rank, plan.worldSize(), mine.size(), threads,
                plan.spec().deviceOrDefault());
        ExecutorService prefetch = Executors.newSingleThreadExecutor(DaemonThreads.named("prefetch-" + rank));
        PartitionLoader loader = new PartitionLoader(store, layout, plan, requests, tempDir);
        try (PartitionWriter writer = new PartitionWriter(plan, rank, store, layout, reporter, requests)) {
            try {
                // the finished partitions are checked, and the first one to compute downloads, while the model loads
                Future<?> scanned = prefetch.submit(() -> loader.scan(mine));
                Future<LoadedPartition> first = mine.isEmpty() || !overlap ? null : prefetch.submit(() -> loader.load(mine.get(0)));
                long t0 = System.nanoTime();
                try (ModelCache.Lease lease = models.lease(plan, store, tempDir, rank)) {
                    ModelRunner model = lease.model(); // a slot's later ranks only check it is still the planned one
                    double modelLoadSeconds = (System.nanoTime() - t0) / 1e9;
                    Futures.await(scanned, "checking the earlier predictions"); // nothing is computed before every skip is known
                    reporter.modelLoaded();
                    RankCompute compute = new RankCompute(model, plan.spec(), rank, threads);
                    computeAll(mine, first, prefetch, loader, compute, writer);
                    writer.awaitUpload();
                    current = null;
                    RankResult result = reporter.complete(compute.tuning(), compute.batchSize(), model.deviceName(), threads,
                            modelLoadSeconds);
                    LOG.info("rank {} done: {} samples computed in {} s ({} samples/s compute-only), end to end {} s",
                            rank, result.computedSamples(), round(result.computeSeconds()), round(result.samplesPerSecond()),
                            round(result.endToEndSeconds()));
                    return result;
                }
            } catch (RuntimeException e) {
                writer.finishAfterFailure();
                reporter.failed(current, e.getMessage());
                throw e;
            }
        } finally {
            prefetch.shutdownNow();
        }
    }

    /**
     * Each partition of {@code mine} in order: computed while the next one downloads ({@code first}
     * is the first one's download, already started) and the one before uploads; skipped when an
     * earlier attempt computed it; recorded failed when its own input is bad.
     */
    private void computeAll(List<Partition> mine, Future<LoadedPartition> first, ExecutorService prefetch, PartitionLoader loader,
                            RankCompute compute, PartitionWriter writer) {
        FailureRule rule = new FailureRule();
        Future<LoadedPartition> next = first;
        try {
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
                // a rank that fails leaves this partition's file to the collector: a replica may still be reading it
                Computed computed = computeOne(loaded, rule, compute, downloading);
                if (computed == null) {
                    loaded.release(); // failed, every replica stopped: nothing reads its file any more
                } else {
                    // the writer releases the partition once its prediction is written, or now when it copies none of it
                    writer.submit(computed.forUpload(plan.spec().data()), !overlap);
                }
            }
            next = null;
        } finally {
            releaseUnused(next);
        }
    }

    /** The partition computed, with its quality data; null when its own input was bad (recorded failed). */
    private Computed computeOne(LoadedPartition loaded, FailureRule rule, RankCompute compute, BooleanSupplier downloading) {
        long computeStarted = System.currentTimeMillis(); // the trials compute this partition's first rows
        long c0 = System.nanoTime();
        Outputs outputs;
        List<NpyArray> quality;
        try {
            outputs = compute.compute(current, loaded, downloading);
        } catch (BadInputException e) {
            failed(current, rule.forwardFailed(current, e)); // throws when the model or spec is at fault
            return null;
        }
        rule.computed();
        try {
            quality = qualityData(plan.spec(), loaded, outputs);
        } catch (BadInputException e) {
            failed(current, e.getMessage()); // the labels of this partition
            return null;
        }
        return new Computed(loaded, outputs, quality, computeStarted, (System.nanoTime() - c0) / 1e9);
    }

    /** After a failure: the partition downloaded ahead will not be computed; its file goes now, not at collection. */
    private static void releaseUnused(Future<LoadedPartition> pending) {
        if (pending == null) {
            return;
        }
        pending.cancel(true);
        if (pending.isDone() && !pending.isCancelled()) {
            try {
                pending.get().release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // its download failed: nothing was mapped
            }
        }
    }

    /** The partition from {@code pending} (or loaded now, when null); null when its object is bad, recorded as failed. */
    private LoadedPartition loadOrFail(Future<LoadedPartition> pending, PartitionLoader loader, Partition p) {
        try {
            return pending != null ? Futures.await(pending, "downloading " + p.key()) : loader.load(p);
        } catch (BadInputException e) {
            failed(p.key(), e.getMessage()); // this partition's object is bad; the next is another object
            return null;
        }
    }

    private void failed(String partition, String reason) {
        LOG.warn("rank {}: partition {} failed, going on with the others: {}", rank, partition, reason);
        reporter.partitionFailed(partition, reason);
    }

    private static List<NpyArray> qualityData(InferenceJobSpec spec, LoadedPartition loaded, Outputs outputs) {
        String labels = spec.data().labels();
        if (labels == null) {
            return List.of();
        }
        return QualityData.compute(loaded.arrays().get(labels), outputs.arrays().get(0));
    }

    /** Computes with one intra-op thread fewer while the next partition downloads (an experiment, off by default). */
    Worker yieldingCoreToDownloads(boolean value) {
        this.yieldCore = value;
        return this;
    }

    private static String round(double v) {
        return String.format("%.2f", v);
    }
}
