package io.dataparallel.core.plan;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.ModelObject;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.validation.SpecValidator;
import io.dataparallel.core.format.PartitionFormat;
import io.dataparallel.core.model.ModelFormat;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.StoredObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a spec into a {@link Plan}: lists {@code spec.data.uri} (every page), keeps the
 * keys of a partition format ({@link PartitionFormat}: npz, HDF5, FITS, Parquet, WebDataset shards) in lexical order, applies {@code fileLimit}, splits the partitions
 * among the workers by bytes and records the model object's identity. The same listing always gives the same plan.
 *
 * <p>More workers than partitions is not an error: the plan runs one worker per partition
 * and says so in {@link Plan#notes()}, since idle workers would only cost pod start-ups.
 */
public final class Planner {
    private static final String MODEL_FIELD = "spec.model.uri";

    /**
     * The cap on workers when {@code spec.workers} is not given, unless the operator's
     * configuration (the chart's {@code worker.maxWorkers}) says otherwise: local mode and the
     * operator plan the same job into the same number of ranks.
     */
    public static final int DEFAULT_MAX_WORKERS = 1000;

    private final ObjectStore store;
    private final int maxWorkers;

    /**
     * @param maxWorkers the cap on workers when {@code spec.workers} is not given (the chart's worker cap)
     */
    public Planner(ObjectStore store, int maxWorkers) {
        this.store = store;
        this.maxWorkers = maxWorkers;
    }

    /**
     * Lists and assigns the partitions; checks only what needs the store.
     *
     * @param spec a spec {@link SpecValidator} accepted: the operator validates it in the same pass
     *             (PlanStep) and local mode where it reads the manifest, each once
     */
    public Plan plan(JobRef job, InferenceJobSpec spec) {
        S3Uri data = S3Uri.parse("spec.data.uri", spec.data().uri()).asPrefix();
        List<StoredObject> listed = store.list(data, "spec.data.uri");
        List<StoredObject> partitions = new ArrayList<>();
        for (StoredObject o : listed) {
            if (PartitionFormat.ofKey(o.key()).isPresent()) {
                if (S3Uri.hasDotSegment(o.key())) {
                    // its prediction would be written under predictions/ + this key: normalised, outside the output
                    throw new BadInputException("spec.data.uri", "the object '" + o.key() + "' has a '.' or '..' segment in its"
                            + " key, so its prediction could land outside spec.output.uri: rename it or move it out of " + data);
                }
                partitions.add(o);
            }
        }
        partitions.sort(Comparator.comparing(StoredObject::key));
        OutputLayout layout = OutputLayout.of(spec.output());
        Map<String, String> outputs = new HashMap<>();
        for (StoredObject o : partitions) {
            String key = o.key().substring(data.key().length());
            // .npz names (every prediction's as npz, the quality data's in either format) can collide; <key>.parquet cannot
            List<String> names = spec.data().labels() == null ? List.of(OutputLayout.PREDICTIONS + layout.predictionName(key))
                    : List.of(OutputLayout.PREDICTIONS + layout.predictionName(key), OutputLayout.QUALITY + OutputLayout.npzName(key));
            for (String name : names) {
                String other = outputs.put(name, key);
                if (other != null) {
                    throw new BadInputException("spec.data.uri", "the partitions '" + other + "' and '" + key + "' would both write "
                            + name + " (a partition of another format than .npz writes <key>.npz): rename one of them or move it"
                            + " out of " + data);
                }
            }
        }
        if (partitions.isEmpty()) {
            throw new BadInputException("spec.data.uri", listed.isEmpty()
                    ? "no objects under " + data + ": upload the partitions there or fix the prefix"
                    : listed.size() + " objects under " + data + " but none is a partition: partitions end in "
                      + String.join(", ", PartitionFormat.allExtensions())
                      + " (convert CAI's .pt partitions with examples/tools/cai_pt_to_npz.py)");
        }
        Integer limit = spec.data().fileLimit();
        if (limit != null) {
            if (limit > partitions.size()) {
                throw new BadInputException("spec.data.fileLimit", "is " + limit + " but only " + partitions.size()
                        + " partitions exist under " + data + ": use 1.." + partitions.size() + " or leave it out to take all");
            }
            partitions = partitions.subList(0, limit);
        }
        List<String> notes = new ArrayList<>();
        int workers;
        if (spec.workers() == null) {
            workers = Math.min(partitions.size(), maxWorkers);
        } else if (spec.workers() > partitions.size()) {
            workers = partitions.size();
            notes.add("spec.workers is " + spec.workers() + " but there are " + partitions.size()
                    + " partitions: running " + workers + " workers, one partition each");
        } else {
            workers = spec.workers();
        }
        List<String> keys = new ArrayList<>(partitions.size());
        List<Long> sizes = new ArrayList<>(partitions.size());
        List<String> etags = new ArrayList<>(partitions.size());
        long[] sizeArray = new long[partitions.size()];
        for (int i = 0; i < partitions.size(); i++) {
            StoredObject o = partitions.get(i);
            keys.add(o.key().substring(data.key().length()));
            sizes.add(o.size());
            sizeArray[i] = o.size();
            etags.add(fingerprint(o.etag()));
        }
        List<Integer> starts = new ArrayList<>(workers + 1);
        for (int s : RankAssigner.assign(sizeArray, workers)) {
            starts.add(s);
        }
        return new Plan(Plan.VERSION, job, spec, workers, keys, sizes, etags, starts, notes, model(spec));
    }

    /**
     * {@code plan} with the partitions at {@code done} (indexes) marked done earlier: they leave the
     * ranks, the rest is balanced again by bytes among at most as many workers as before (fewer when
     * fewer partitions are left; none when nothing is), so no worker starts only to skip its share.
     */
    public static Plan resume(Plan plan, Collection<Integer> done) {
        if (done.isEmpty()) {
            return plan;
        }
        List<Integer> resumed = new ArrayList<>(new TreeSet<>(done));
        int n = plan.partitionCount();
        int[] left = new int[n - resumed.size()];
        long[] sizes = new long[left.length];
        for (int i = 0, j = 0, r = 0; i < n; i++) {
            if (r < resumed.size() && resumed.get(r) == i) {
                r++;
            } else {
                left[j] = i;
                sizes[j++] = plan.sizes().get(i);
            }
        }
        int workers = Math.min(plan.worldSize(), left.length);
        List<Integer> starts = new ArrayList<>(workers + 1);
        starts.add(0);
        if (workers > 0) {
            int[] assigned = RankAssigner.assign(sizes, workers);
            for (int r = 1; r < workers; r++) {
                starts.add(left[assigned[r]]); // every rank starts at a partition it computes
            }
            starts.add(n);
        }
        List<String> notes = new ArrayList<>(plan.notes());
        if (workers > 0 && workers < plan.worldSize()) {
            notes.add("running " + workers + " workers for the " + left.length + " partitions left");
        }
        return new Plan(plan.version(), plan.job(), plan.spec(), workers, plan.keys(), plan.sizes(), plan.etags(), starts,
                notes, plan.model(), resumed);
    }

    /**
     * The model object's identity, from one HEAD, and its format, from its first bytes: the plan records which model
     * its predictions come from, and a missing model or one of no known format is found here rather than by every worker.
     */
    private ModelObject model(InferenceJobSpec spec) {
        S3Uri uri = S3Uri.parse(MODEL_FIELD, spec.model().uri());
        StoredObject model = store.head(uri, MODEL_FIELD).orElseThrow(() ->
                BadInputException.missing(MODEL_FIELD, uri));
        ModelFormat format = ModelFormat.of(store.head(uri, ModelFormat.HEAD_BYTES, MODEL_FIELD), uri.toString());
        return new ModelObject(model.etag(), model.size(), format.title());
    }

    /** How many partitions the plan has, and how many of them were done earlier: {@code 8 partitions: 4 done earlier (skipped), 4 to run}. */
    public static String partitionsText(Plan plan) {
        int resumed = plan.resumed().size();
        return plan.partitionCount() + " partitions" + (resumed == 0 ? ""
                : ": " + resumed + " done earlier (skipped), " + plan.partitionsToRun() + " to run");
    }

    /** The part of an ETag a plan keeps. */
    public static String fingerprint(String etag) {
        String e = StoredObject.unquote(etag);
        return e.length() <= Plan.ETAG_CHARS ? e : e.substring(0, Plan.ETAG_CHARS);
    }
}
