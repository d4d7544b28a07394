package io.dataparallel.api.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dataparallel.api.spec.InferenceJobSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The immutable plan every worker reads: the job, its spec as planned, the partitions in
 * lexical key order and which rank owns which. Ranks own contiguous runs of partitions:
 * rank {@code r} owns indexes {@code rankStarts[r]} (inclusive) to
 * {@code rankStarts[r+1]} (exclusive), less the partitions an earlier run of the job already
 * computed ({@code resumed}): those belong to no rank, so a resumed job starts workers only
 * for what is left and balances that among them. Stored column by column (keys, sizes, etags) because
 * that compresses several times better than one object per partition.
 *
 * @param version    format version of this record
 * @param job        the job that owns the plan
 * @param spec       the spec as it was when planned
 * @param worldSize  the number of ranks
 * @param keys       partition keys relative to {@code spec.data.uri}, sorted
 * @param sizes      partition sizes in bytes, parallel to {@code keys}
 * @param etags      ETag fingerprints, parallel to {@code keys}
 * @param rankStarts worldSize + 1 offsets into {@code keys}
 * @param notes      what the planner decided that the user should know (for example clamped workers)
 * @param model      the model object as planned; null only in plans built by hand (tests, tools)
 * @param resumed    indexes (ascending) of the partitions whose predictions an earlier run of this job wrote with
 *                   the same model, inputs, outputs and partition bytes: done earlier, skipped, in no rank
 */
public record Plan(
        int version,
        JobRef job,
        InferenceJobSpec spec,
        int worldSize,
        List<String> keys,
        List<Long> sizes,
        List<String> etags,
        List<Integer> rankStarts,
        List<String> notes,
        ModelObject model,
        List<Integer> resumed) {

    public static final int VERSION = 1;
    /** How many leading characters of an ETag a plan keeps. */
    public static final int ETAG_CHARS = 8;

    public Plan {
        if (keys.size() != sizes.size() || keys.size() != etags.size()) {
            throw new IllegalArgumentException("keys, sizes and etags must have the same length");
        }
        if (rankStarts.size() != worldSize + 1) {
            throw new IllegalArgumentException("rankStarts must have worldSize + 1 entries");
        }
        notes = notes == null ? List.of() : notes;
        resumed = resumed == null ? List.of() : List.copyOf(resumed);
        for (int i = 0; i < resumed.size(); i++) {
            int index = resumed.get(i);
            if (index < 0 || index >= keys.size() || i > 0 && index <= resumed.get(i - 1)) {
                throw new IllegalArgumentException("resumed must hold ascending partition indexes");
            }
        }
    }

    /** A plan with nothing done earlier: every partition is in a rank. */
    public Plan(int version, JobRef job, InferenceJobSpec spec, int worldSize, List<String> keys, List<Long> sizes,
                List<String> etags, List<Integer> rankStarts, List<String> notes, ModelObject model) {
        this(version, job, spec, worldSize, keys, sizes, etags, rankStarts, notes, model, List.of());
    }

    /** A plan that does not know its model object: for plans built by hand. */
    public Plan(int version, JobRef job, InferenceJobSpec spec, int worldSize, List<String> keys, List<Long> sizes,
                List<String> etags, List<Integer> rankStarts, List<String> notes) {
        this(version, job, spec, worldSize, keys, sizes, etags, rankStarts, notes, null, List.of());
    }

    /** What this plan's predictions are computed with; {@code _job.json} and every prediction record it. */
    @JsonIgnore
    public Provenance provenance() {
        return new Provenance(model, spec.model().inputs(), spec.model().outputNames(), spec.data().keepOrNone());
    }

    /** The number of partitions. */
    @JsonIgnore
    public int partitionCount() {
        return keys.size();
    }

    /** The partition at {@code index} in key order. */
    public Partition partition(int index) {
        return new Partition(keys.get(index), sizes.get(index), etags.get(index));
    }

    /** The partitions of {@code rank} that are left to compute, in key order; empty for a rank with none. */
    public List<Partition> partitionsOf(int rank) {
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (worldSize - 1));
        }
        List<Partition> out = new ArrayList<>();
        for (int i = rankStarts.get(rank); i < rankStarts.get(rank + 1); i++) {
            if (!isResumed(i)) {
                out.add(partition(i));
            }
        }
        return out;
    }

    /** Whether the partition at {@code index} was done by an earlier run (and is in no rank). */
    public boolean isResumed(int index) {
        return Collections.binarySearch(resumed, index) >= 0;
    }

    /** The partitions done by an earlier run, in key order. */
    public List<Partition> resumedPartitions() {
        return resumed.stream().map(this::partition).toList();
    }

    /** Partitions the workers compute: all of them less those done earlier. */
    @JsonIgnore
    public int partitionsToRun() {
        return keys.size() - resumed.size();
    }

    /** Total input bytes. */
    @JsonIgnore
    public long totalBytes() {
        return sizes.stream().mapToLong(Long::longValue).sum();
    }
}
