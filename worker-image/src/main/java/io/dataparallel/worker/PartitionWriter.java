package io.dataparallel.worker;

import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.concurrent.Futures;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.Predictions;
import io.dataparallel.core.output.ProvenanceCheck;
import io.dataparallel.core.s3.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rank's uploads, one partition at a time on a thread of their own: quality data first, then
 * the prediction in one PUT (its presence means done), then progress. At most one partition's
 * predictions are in flight, and a failure elsewhere still lets the one in flight finish, so no
 * finished work is lost.
 */
final class PartitionWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionWriter.class);

    /** What one computed partition leaves to upload, with its compute timings. */
    record Computed(LoadedPartition loaded, Outputs outputs, List<NpyArray> quality, long computeStartedMs, double computeSeconds) {
        /**
         * What the upload needs: with no {@code spec.data.keep}, the partition's input is let go now, so that a
         * rank holds two partitions' input (computing, downloading ahead) rather than three while one uploads.
         */
        Computed forUpload(DataSpec data) {
            return data.keepOrNone().isEmpty() ? new Computed(loaded.released(), outputs, quality, computeStartedMs, computeSeconds)
                    : this;
        }
    }

    private final Plan plan;
    private final int rank;
    private final ObjectStore store;
    private final OutputLayout layout;
    private final RankReporter reporter;
    private final S3RequestTimer requests;
    private final ExecutorService thread;
    private Future<?> uploading;

    PartitionWriter(Plan plan, int rank, ObjectStore store, OutputLayout layout, RankReporter reporter, S3RequestTimer requests) {
        this.plan = plan;
        this.rank = rank;
        this.store = store;
        this.layout = layout;
        this.reporter = reporter;
        this.requests = requests;
        this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named("upload-" + rank));
    }

    /** Starts uploading {@code computed} once the partition before it is written; with {@code wait}, returns once it is. */
    void submit(Computed computed, boolean wait) {
        awaitUpload(); // at most one partition's predictions in flight
        uploading = thread.submit(() -> write(computed));
        if (wait) {
            awaitUpload();
        }
    }

    /** Waits for the upload in flight; its failure is rethrown as it was. */
    void awaitUpload() {
        if (uploading != null) {
            Futures.await(uploading, "uploading a prediction");
        }
    }

    /** After a failure elsewhere: lets the upload in flight finish; its own failure is only logged. */
    void finishAfterFailure() {
        if (uploading == null || uploading.isDone()) {
            return; // nothing in flight, or it already failed: that failure is the one being reported
        }
        try {
            awaitUpload();
        } catch (RuntimeException alsoFailed) {
            LOG.warn("rank {}: the last prediction upload failed too: {}", rank, alsoFailed.getMessage());
        }
    }

    /** The outputs, then each {@code spec.data.keep} array as the partition has it, under its kept name. */
    private List<NpyArray> withKept(Computed c) {
        List<String> keep = plan.spec().data().keepOrNone();
        if (keep.isEmpty()) {
            return c.outputs().arrays();
        }
        List<NpyArray> arrays = new java.util.ArrayList<>(c.outputs().arrays());
        for (String name : keep) {
            NpyArray a = c.loaded().arrays().get(name);
            arrays.add(new NpyArray(DataSpec.keptName(name), a.dtype(), a.shape(), a.data()));
        }
        return arrays;
    }

    /** Writes {@code c}, then frees its partition's file, which its kept arrays were read from. */
    private void write(Computed c) {
        try {
            upload(c);
        } finally {
            c.loaded().release();
        }
    }

    private void upload(Computed c) {
        Partition p = c.loaded().partition();
        long u0 = System.nanoTime();
        if (!c.quality().isEmpty()) {
            byte[] bytes = Npz.toBytes(c.quality());
            requests.time(() -> store.put(layout.quality(p.key()), bytes, "application/octet-stream", Map.of(), false, OutputLayout.FIELD));
        }
        byte[] prediction = Predictions.toBytes(layout.format(), withKept(c));
        // the prediction carries its figures as of its PUT, so that a run resuming past it keeps them; the PUT itself is
        // timed after, into what this rank reports: the one difference between the two is that PUT's duration
        PartitionResult asOfPut = result(c, u0);
        Map<String, String> meta = ProvenanceCheck.metadata(plan, p, asOfPut);
        boolean created = requests.time(() -> store.put(layout.prediction(p.key()), prediction,
                Predictions.contentType(layout.format()), meta, true, OutputLayout.FIELD));
        if (!created) {
            LOG.info("rank {}: prediction of {} was written meanwhile by another attempt; keeping it", rank, p.key());
        }
        reporter.finished(asOfPut.withUploadSeconds((System.nanoTime() - u0) / 1e9).withFinishedMs(System.currentTimeMillis()));
    }

    /** The partition's figures, its upload timed from {@code uploadStartedNanos} to now. */
    private static PartitionResult result(Computed c, long uploadStartedNanos) {
        LoadedPartition loaded = c.loaded();
        Partition p = loaded.partition();
        return new PartitionResult(p.key(), loaded.rows(), p.size(), c.outputs().batches(), false, loaded.downloadSeconds(),
                loaded.decodeSeconds(), c.computeSeconds(), (System.nanoTime() - uploadStartedNanos) / 1e9, loaded.startedMs(),
                c.computeStartedMs(), System.currentTimeMillis());
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
