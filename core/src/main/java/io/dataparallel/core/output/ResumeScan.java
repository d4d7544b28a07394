package io.dataparallel.core.output;

import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.concurrent.Futures;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.StoredObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What an earlier run of the job already computed: the planned partitions whose prediction
 * exists, each checked against the plan's provenance ({@link ProvenanceCheck#requireDone}).
 * Run by the planner's caller after the claim, so a changed partition, model or output name is
 * refused before any worker starts, and the partitions done earlier leave the ranks
 * ({@link Planner#resume}). One listing of {@code predictions/}, then
 * one HEAD per prediction found (their metadata holds the provenance), a few at a time.
 */
public final class ResumeScan {
    private static final int HEADS_AT_ONCE = 8;

    private ResumeScan() {
    }

    /**
     * {@code plan} without the partitions done earlier ({@link Planner#resume}): call after the
     * claim, whose provenance check passed or whose restart deleted the earlier predictions.
     */
    public static Plan resume(ObjectStore store, OutputLayout layout, Plan plan) {
        return Planner.resume(plan, doneEarlier(store, layout, plan).keySet());
    }

    /** Index (in the plan's key order) to the partition's result as resumed, for every partition done earlier. */
    public static Map<Integer, PartitionResult> doneEarlier(ObjectStore store, OutputLayout layout, Plan plan) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < plan.partitionCount(); i++) {
            index.put(layout.predictionName(plan.keys().get(i)), i); // predictions are named so
        }
        S3Uri predictions = layout.root().resolve(OutputLayout.PREDICTIONS);
        String prefix = predictions.key();
        List<Integer> found = new ArrayList<>();
        for (StoredObject o : store.list(predictions, OutputLayout.FIELD)) {
            Integer i = index.get(o.key().substring(prefix.length()));
            if (i != null) {
                found.add(i);
            }
        }
        Map<Integer, PartitionResult> done = new TreeMap<>();
        if (found.isEmpty()) {
            return done;
        }
        ExecutorService heads = Executors.newFixedThreadPool(Math.min(HEADS_AT_ONCE, found.size()), DaemonThreads.named("resume-head"));
        try {
            Map<Integer, Future<Optional<PartitionResult>>> pending = new TreeMap<>();
            for (int i : found) {
                Partition p = plan.partition(i);
                pending.put(i, heads.submit(() -> store.head(layout.prediction(p.key()), OutputLayout.FIELD)
                        .map(prediction -> ProvenanceCheck.requireDone(prediction, plan, p, layout))));
            }
            for (Map.Entry<Integer, Future<Optional<PartitionResult>>> e : pending.entrySet()) {
                Futures.await(e.getValue(), "checking the earlier predictions")
                        .ifPresent(r -> done.put(e.getKey(), r)); // gone since the listing: computed again
            }
            return done;
        } finally {
            heads.shutdownNow();
        }
    }
}
