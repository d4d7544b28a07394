package io.dataparallel.core.summary;

import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.result.Quality;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.core.Json;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.concurrent.Futures;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.PredictionFigures;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.report.Report;
import io.dataparallel.core.report.ReportData;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Reads the rank results of one plan's ranks (and never other files under the prefix),
 * writes {@code combined_data.json} (CAI's list of rank results), {@code summary.json} and
 * {@code report.html} (where the time went).
 * A rank with no result is a failed worker: its partitions without a prediction are listed
 * with the reason its progress file gives. A rank whose result lists failed partitions is a
 * failed worker too (it exited BAD_INPUT, so the Job failed its index): those partitions are
 * listed with their own reasons, once, and its other partitions count as done. Partitions an
 * earlier run computed (the plan's resumed ones) count as done with that run's figures, read
 * from their predictions' metadata, and the earlier runs' rank results and records stay in the
 * job's files ({@link JobRecord}): a rerun adds to the job's record, never replaces it.
 */
public final class Summarizer {
    private static final int READERS = 8;

    private final ObjectStore store;

    public Summarizer(ObjectStore store) {
        this.store = store;
    }

    /** Summarizes {@code plan}'s results and writes {@code combined_data.json}, {@code summary.json} and the report. */
    public Summary summarize(Plan plan) {
        return summarize(plan, null, false);
    }

    /**
     * As {@link #summarize(Plan)}, for a caller that knows when the job started ({@code jobStartedMs},
     * epoch ms; the report then shows the whole time the user waited, planning included) and whether
     * the workers were stopped at {@code spec.timeout} ({@code workersTimedOut}: the summary, its
     * verdict and the report's banner say so).
     */
    public Summary summarize(Plan plan, Long jobStartedMs, boolean workersTimedOut) {
        OutputLayout layout = OutputLayout.of(plan.spec().output());
        String planHash = PlanCodec.hash(plan);
        List<RankResult> results = new ArrayList<>();
        List<Integer> failedWorkers = new ArrayList<>();
        List<FailedPartition> failedPartitions = new ArrayList<>();
        List<String> donePartitions = new ArrayList<>();
        long samples = 0;
        for (int rank = 0; rank < plan.worldSize(); rank++) {
            Optional<RankResult> result = readRank(layout, rank, planHash);
            if (result.isPresent()) {
                RankResult r = result.get();
                results.add(r);
                samples += r.samples();
                // a rank that finished but failed some partitions exited BAD_INPUT: the Job counts its index failed
                if (!r.failedPartitions().isEmpty()) {
                    failedWorkers.add(rank);
                }
                Set<String> failed = new HashSet<>();
                r.failedPartitions().forEach(f -> failed.add(f.partition()));
                failedPartitions.addAll(r.failedPartitions());
                plan.partitionsOf(rank).stream().filter(p -> !failed.contains(p.key())).forEach(p -> donePartitions.add(p.key()));
                continue;
            }
            failedWorkers.add(rank);
            String reason = failureReason(layout, rank, planHash);
            for (Partition p : plan.partitionsOf(rank)) {
                Optional<StoredObject> prediction = store.head(layout.prediction(p.key()), OutputLayout.FIELD);
                if (prediction.isPresent()) {
                    donePartitions.add(p.key());
                    samples += Long.parseLong(prediction.get().metadata().getOrDefault(OutputLayout.META_SAMPLES, "0"));
                } else {
                    failedPartitions.add(new FailedPartition(p.key(), rank, reason));
                }
            }
        }
        List<PartitionResult> resumed = new ArrayList<>();
        for (Map.Entry<Partition, Optional<StoredObject>> e : parallel(plan.resumedPartitions(),
                p -> store.head(layout.prediction(p.key()), OutputLayout.FIELD)).entrySet()) {
            Partition p = e.getKey();
            if (e.getValue().isEmpty()) { // done when planned, deleted since: not done any more
                failedPartitions.add(new FailedPartition(p.key(), -1, "its prediction " + layout.prediction(p.key())
                        + " was done earlier but was deleted while the job ran; run the job again to compute it"));
                continue;
            }
            Map<String, String> meta = e.getValue().get().metadata();
            PartitionResult r = PredictionFigures.resumed(p.key(), Long.parseLong(meta.getOrDefault(OutputLayout.META_SAMPLES, "0")),
                    p.size(), meta.get(OutputLayout.META_FIGURES));
            resumed.add(r);
            samples += r.samples();
            donePartitions.add(p.key());
        }
        List<Map<String, NpyArray>> qualityData = plan.spec().data().labels() == null ? List.of()
                : List.copyOf(parallel(donePartitions, key -> readQuality(layout, key)).values());
        Quality quality = qualityData.isEmpty() ? null : QualityData.aggregate(qualityData);
        // read before this run's files replace them: what the earlier runs behind the resumed partitions left
        JobRecord record = JobRecord.read(store, layout, plan, planHash, resumed);
        Summary summary = Summaries.of(plan, planHash, results, resumed, samples, donePartitions.size(),
                failedWorkers, failedPartitions, workersTimedOut, quality, record);
        List<RankResult> combined = new ArrayList<>(record.earlierRanks());
        combined.addAll(results);
        // the verdict the operator and the CLI give once this summary exists, so the page agrees with them
        ReportData report = new ReportData(summary, Verdict.of(summary, plan.spec()), results, resumed,
                QualityChartData.of(qualityData), jobStartedMs, System.currentTimeMillis());
        store.putJson(layout.combined(), Json.writePretty(combined), OutputLayout.FIELD);
        store.putJson(layout.summary(), Json.writePretty(summary), OutputLayout.FIELD);
        store.put(layout.report(), Report.html(report).getBytes(StandardCharsets.UTF_8),
                "text/html; charset=utf-8", Map.of(), false, OutputLayout.FIELD);
        return summary;
    }

    private Optional<RankResult> readRank(OutputLayout layout, int rank, String planHash) {
        return store.getIfExists(layout.rankResult(rank), OutputLayout.FIELD)
                .map(bytes -> Json.read(bytes, RankResult.class))
                // a result from an earlier plan of this output is stale, not this job's
                .filter(r -> planHash.equals(r.planHash()));
    }

    private String failureReason(OutputLayout layout, int rank, String planHash) {
        Optional<Progress> progress = store.getIfExists(layout.progress(rank), OutputLayout.FIELD).map(b -> Json.read(b, Progress.class))
                .filter(p -> p.belongsTo(planHash)); // an earlier run's error is not this worker's
        if (progress.isPresent() && progress.get().error() != null) {
            return progress.get().error();
        }
        return "worker " + rank + " did not finish (no " + layout.rankResult(rank) + "); see its pod's log";
    }

    /** {@code read} of each item, {@value #READERS} at a time, in the items' order. */
    private static <T, R> Map<T, R> parallel(List<T> items, Function<T, R> read) {
        if (items.isEmpty()) {
            return Map.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(READERS, items.size()), DaemonThreads.named("summary-read"));
        try {
            Map<T, Future<R>> pending = new LinkedHashMap<>();
            for (T item : items) {
                pending.put(item, pool.submit(() -> read.apply(item)));
            }
            Map<T, R> out = new LinkedHashMap<>();
            for (Map.Entry<T, Future<R>> e : pending.entrySet()) {
                out.put(e.getKey(), Futures.await(e.getValue(), "reading the job's outputs"));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, NpyArray> readQuality(OutputLayout layout, String key) {
        return store.getIfExists(layout.quality(key), OutputLayout.FIELD).map(Npz::read).orElse(Map.of());
    }
}
