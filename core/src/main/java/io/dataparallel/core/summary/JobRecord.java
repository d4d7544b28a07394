package io.dataparallel.core.summary;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.RunRecord;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.Device;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.ProvenanceCheck;
import io.dataparallel.core.s3.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What earlier runs of a job left that this run's summary keeps, read before this run replaces
 * {@code combined_data.json} and {@code summary.json}: the rank results that computed a partition
 * this plan resumed (so CAI's list keeps one entry per rank that computed any of the job's
 * predictions, whichever run it was), and the earlier runs' records (what they computed and cost).
 *
 * <p>A rank result counts only where a prediction in the store is the very one it computed (same
 * partition, same compute start as the prediction's recorded figures): a partition recomputed since
 * belongs to the run that recomputed it. A run counts where it computed with this plan's model and
 * names; one of another model under the same output was another job's.
 *
 * @param earlierRanks rank results of earlier runs still behind the job's predictions, by run (oldest first), then rank
 * @param earlierRuns  the earlier runs' records, oldest first
 */
record JobRecord(List<RankResult> earlierRanks, List<RunRecord> earlierRuns) {
    private static final Logger LOG = LoggerFactory.getLogger(JobRecord.class);

    static final JobRecord NONE = new JobRecord(List.of(), List.of());

    /**
     * The record behind {@code plan}'s resumed partitions ({@code resumed}, with the figures their predictions
     * recorded); {@link #NONE} when nothing was resumed. A record that cannot be read leaves the figures to the
     * predictions alone, with a warning: a damaged file never fails a summary.
     */
    static JobRecord read(ObjectStore store, OutputLayout layout, Plan plan, String planHash, List<PartitionResult> resumed) {
        if (resumed.isEmpty()) {
            return NONE;
        }
        List<RankResult> ranks = earlierRanks(readList(store, layout), planHash, resumed);
        Optional<Summary> before = read(store, layout);
        String provenance = ProvenanceCheck.line(plan);
        List<RunRecord> runs = new ArrayList<>();
        before.ifPresent(s -> {
            runs.addAll(s.earlierRuns());
            if (s.thisRun() != null) {
                runs.add(s.thisRun());
            }
        });
        runs.removeIf(r -> planHash.equals(r.planHash()) || !provenance.equals(r.provenance()) || !r.didAnything());
        // results written before runs were recorded still say what their run computed and used
        Set<String> recorded = new HashSet<>();
        runs.forEach(r -> recorded.add(r.planHash()));
        byRun(ranks).forEach((hash, group) -> {
            if (!recorded.contains(hash)) {
                runs.add(of(hash, provenance, group.get(0).worldSize(), group, plan.spec().deviceOrDefault() == Device.gpu));
            }
        });
        runs.sort(Comparator.comparingLong(RunRecord::startedMs));
        return new JobRecord(ranks, List.copyOf(runs));
    }

    /** The record of one run from its rank results: its span, what it computed, what its workers used. */
    static RunRecord of(String planHash, String provenance, int workers, List<RankResult> results, boolean gpu) {
        long first = results.stream().mapToLong(RankResult::startedMs).min().orElse(0);
        long last = results.stream().mapToLong(RankResult::finishedMs).max().orElse(0);
        double wall = results.stream().mapToDouble(RankResult::endToEndSeconds).sum();
        double cpu = results.stream().mapToDouble(RankResult::cpuSeconds).sum();
        int computed = (int) results.stream().flatMap(r -> r.partitions().stream()).filter(p -> !p.resumed()).count();
        long samples = results.stream().mapToLong(RankResult::computedSamples).sum();
        return new RunRecord(planHash, provenance, workers, first, last, (last - first) / 1000.0, computed, samples,
                new Cost(wall, cpu, gpu ? wall : 0, null, null));
    }

    /** Rank results grouped by their plan (one group per run), in the order given. */
    static Map<String, List<RankResult>> byRun(List<RankResult> results) {
        Map<String, List<RankResult>> runs = new LinkedHashMap<>();
        results.forEach(r -> runs.computeIfAbsent(r.planHash(), k -> new ArrayList<>()).add(r));
        return runs;
    }

    private static List<RankResult> earlierRanks(List<RankResult> before, String planHash, List<PartitionResult> resumed) {
        Set<String> computedThere = new HashSet<>();
        for (PartitionResult p : resumed) {
            if (p.computeStartedMs() > 0) { // figures recorded: the prediction names the computation that made it
                computedThere.add(p.key() + "@" + p.computeStartedMs());
            }
        }
        return before.stream()
                .filter(r -> !planHash.equals(r.planHash())) // this plan's own results are read from ranks/ again
                .filter(r -> r.partitions().stream().anyMatch(p -> computedThere.contains(p.key() + "@" + p.computeStartedMs())))
                .toList(); // in the order the earlier file had them: by run, then by rank
    }

    private static List<RankResult> readList(ObjectStore store, OutputLayout layout) {
        try {
            return store.getIfExists(layout.combined(), OutputLayout.FIELD)
                    .map(bytes -> Arrays.asList(Json.read(bytes, RankResult[].class))).orElse(List.of());
        } catch (RuntimeException e) {
            LOG.warn("{} of an earlier run could not be read ({}); the job's figures come from its predictions alone",
                    layout.combined(), e.getMessage());
            return List.of();
        }
    }

    private static Optional<Summary> read(ObjectStore store, OutputLayout layout) {
        try {
            return store.getIfExists(layout.summary(), OutputLayout.FIELD).map(bytes -> Json.read(bytes, Summary.class));
        } catch (RuntimeException e) {
            LOG.warn("{} of an earlier run could not be read ({}); its runs leave the job's cost", layout.summary(), e.getMessage());
            return Optional.empty();
        }
    }
}
