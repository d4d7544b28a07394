package io.dataparallel.core.output;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.OutputOwner;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.core.Json;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.s3.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ownership of an output prefix through {@code _job.json}. The first job to claim it wins
 * (conditional PUT); the same job claiming again resumes when its predictions' provenance
 * is unchanged ({@link ProvenanceCheck}), or starts over when asked to; any other job is
 * refused, so one job's outputs are never overwritten by another's.
 */
public final class OutputClaim {
    private OutputClaim() {
    }

    /**
     * Claims the output for the plan's job, or confirms the job owns it and that its earlier
     * predictions are what this plan computes. With {@code restart} they are deleted instead
     * (with the progress and rank results that describe them), so every partition is computed again.
     */
    public static OutputOwner claim(ObjectStore store, OutputLayout layout, Plan plan, boolean restart) {
        JobRef job = plan.job();
        OutputOwner mine = new OutputOwner(job.namespace(), job.name(), job.uid(), PlanCodec.hash(plan),
                System.currentTimeMillis(), plan.provenance());
        Optional<OutputOwner> existing = read(store, layout);
        if (existing.isEmpty()) {
            if (store.put(layout.owner(), Json.writePretty(mine), "application/json", Map.of(), true, OutputLayout.FIELD)) {
                return mine;
            }
            existing = read(store, layout); // another writer won the race: judge its claim
        }
        OutputOwner owner = existing.orElseThrow(() -> new IllegalStateException("_job.json vanished while claiming"));
        requireSameJob(owner, job, layout);
        if (!restart) {
            ProvenanceCheck.requireSame(owner.provenance(), mine.provenance(), layout);
            return owner;
        }
        // the new provenance first: should the deletes stop halfway, workers refuse what is left rather than resume it
        store.put(layout.owner(), Json.writePretty(mine), "application/json", Map.of(), false, OutputLayout.FIELD);
        for (String folder : List.of(OutputLayout.PREDICTIONS, OutputLayout.QUALITY, OutputLayout.PROGRESS, OutputLayout.RANKS)) {
            store.deleteAll(layout.root().resolve(folder), OutputLayout.FIELD);
        }
        return mine;
    }

    /** Fails unless the output is claimed by {@code job}: workers check before writing. */
    public static OutputOwner verify(ObjectStore store, OutputLayout layout, JobRef job) {
        OutputOwner owner = read(store, layout).orElseThrow(() -> new BadInputException(OutputLayout.FIELD,
                layout.owner() + " does not exist: the planner claims the output before workers start; plan the job again"));
        requireSameJob(owner, job, layout);
        return owner;
    }

    public static Optional<OutputOwner> read(ObjectStore store, OutputLayout layout) {
        Optional<byte[]> bytes = store.getIfExists(layout.owner(), OutputLayout.FIELD);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            OutputOwner owner = Json.read(bytes.get(), OutputOwner.class);
            if (owner.namespace() == null || owner.name() == null) {
                throw new UncheckedIOException(new IOException("no namespace or name"));
            }
            return Optional.of(owner);
        } catch (UncheckedIOException e) {
            throw new BadInputException(OutputLayout.FIELD, layout.owner() + " exists but is not a dataparallel owner file: "
                    + "choose an output prefix that no other tool writes to");
        }
    }

    private static void requireSameJob(OutputOwner owner, JobRef job, OutputLayout layout) {
        if (!owner.job().sameJob(job)) {
            throw new BadInputException(OutputLayout.FIELD, layout.root() + " belongs to job " + owner.job().id() + " (see "
                    + layout.owner() + "), not " + job.id() + ": choose another spec.output.uri, or remove that job's outputs first");
        }
    }
}
