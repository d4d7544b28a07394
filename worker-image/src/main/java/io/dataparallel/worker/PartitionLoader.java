package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.format.ArrayInfo;
import io.dataparallel.core.format.PartitionFile;
import io.dataparallel.core.format.PartitionFormat;
import io.dataparallel.core.format.PartitionFormatException;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.output.ProvenanceCheck;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.FileMapping;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.StoredObject;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gets one partition ready, on the prefetch thread while the previous one computes:
 * skip it when {@link #scan} found its prediction (resume), else read it, check it is the object that
 * was planned and decode the arrays the model needs with its format's reader ({@link PartitionFormat},
 * told by the key's extension and checked by the first bytes). An {@code .npz} is read into one direct
 * buffer: its uncompressed arrays stay slices of it, libtorch reads them where the download put them.
 * The other formats decode (copy) their arrays out of the file's bytes, so those bytes go to a file
 * in {@code TMPDIR} that is mapped, not held: under a memory limit the kernel reclaims them, and a
 * partition needs the memory of its decoded arrays, not that plus its file. Whoever takes a
 * {@link LoadedPartition} releases it when done (its arrays may be views of the file).
 */
final class PartitionLoader {
    private final ObjectStore store;
    private final S3RequestTimer requests;
    private final OutputLayout layout;
    private final S3Uri data;
    private final Plan plan;
    private final List<String> inputs;
    private final String labels;
    /** {@code spec.data.keep}: read with the inputs, copied into the prediction. */
    private final List<String> keep;
    private final Set<String> wanted = new LinkedHashSet<>();
    /** Each partition whose prediction {@link #scan} found, as resumed with its recorded figures: those are skipped. */
    private final Map<String, PartitionResult> done = new HashMap<>();

    /** Where the partitions of formats other than npz are downloaded to be mapped; null keeps them in memory. */
    private final Path spillDir;

    PartitionLoader(ObjectStore store, OutputLayout layout, Plan plan, S3RequestTimer requests, Path spillDir) {
        InferenceJobSpec spec = plan.spec();
        this.store = store;
        this.spillDir = spillDir;
        this.requests = requests;
        this.layout = layout;
        this.data = S3Uri.parse("spec.data.uri", spec.data().uri()).asPrefix();
        this.plan = plan;
        this.inputs = spec.model().inputs();
        this.labels = spec.data().labels();
        this.wanted.addAll(inputs);
        if (labels != null) {
            wanted.add(labels);
        }
        this.keep = spec.data().keepOrNone();
        wanted.addAll(keep);
    }

    LoadedPartition load(Partition p) {
        long started = System.currentTimeMillis();
        PartitionResult earlier = done.get(p.key());
        if (earlier != null) {
            return new LoadedPartition(p, Map.of(), earlier.samples(), earlier, 0, 0, started, Map.of(), FileMapping.NONE);
        }
        if (p.size() == 0) {
            throw new BadInputException(p.key(), "is a zero-byte object under spec.data.uri: remove it or upload the partition again");
        }
        long t0 = System.nanoTime();
        PartitionFormat format = PartitionFormat.ofKey(p.key()).orElseThrow(() -> new BadInputException(p.key(),
                "is not a partition of a format the worker reads: partitions end in " + String.join(", ", PartitionFormat.allExtensions())));
        S3Uri uri = data.resolve(p.key());
        ObjectStore.Fetched fetched = requests.time(() -> format == PartitionFormat.NPZ || spillDir == null
                ? store.getDirect(uri, "spec.data.uri", format == PartitionFormat.NPZ ? Npz::firstArrayData : head -> -1)
                : store.getMapped(uri, spillDir, "spec.data.uri"));
        long t1 = System.nanoTime();
        try {
            if (!Planner.fingerprint(fetched.etag()).equals(p.etag())) {
                throw new BadInputException(p.key(), "changed under spec.data.uri since the job was planned (ETag "
                        + fetched.etag() + "): partitions must not change while a job runs; start a new job to use the new data");
            }
            Map<String, String> where = new LinkedHashMap<>();
            Map<String, NpyArray> arrays = decode(p, format, fetched.data(), where);
            long t2 = System.nanoTime();
            return new LoadedPartition(p, arrays, rows(p, arrays), null, (t1 - t0) / 1e9, (t2 - t1) / 1e9, started, where,
                    fetched.mapping());
        } catch (RuntimeException e) {
            fetched.mapping().close(); // nothing decoded from it is handed on
            throw e;
        }
    }

    /**
     * Finds which of {@code mine} are done, checking every existing prediction's provenance:
     * run before anything is computed, so a changed model or partition is refused up front.
     */
    void scan(List<Partition> mine) {
        for (Partition p : mine) {
            Optional<StoredObject> prediction = requests.time(() -> store.head(layout.prediction(p.key()), OutputLayout.FIELD));
            if (prediction.isPresent()) {
                done.put(p.key(), ProvenanceCheck.requireDone(prediction.get(), plan, p, layout));
            }
        }
    }

    private Map<String, NpyArray> decode(Partition p, PartitionFormat format, ByteBuffer file, Map<String, String> where) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try {
            format.checkMagic(p.key(), file);
            PartitionFile opened = format.reader().open(p.key(), file);
            for (String name : wanted) {
                ArrayInfo info = opened.find(name);
                String field = fieldOf(name);
                if (info == null) {
                    throw new BadInputException(field, "partition '" + p.key() + "' has no " + whatNames(format) + " '" + name
                            + "'; it has " + opened.arrays().stream().map(ArrayInfo::name).toList()
                            + ": name arrays that every partition holds");
                }
                if (!info.readable()) {
                    throw new BadInputException(field, "'" + name + "' of partition '" + p.key() + "' (" + info.where() + ") cannot be an"
                            + " array of numbers: " + info.unsupported());
                }
                arrays.put(name, opened.read(name));
                where.put(name, format.title() + " " + info.where());
            }
        } catch (PartitionFormatException e) {
            String hint = format == PartitionFormat.NPZ && !e.getMessage().contains("numpy.savez")
                    ? "; write partitions with numpy.savez or numpy.savez_compressed" : "";
            throw new BadInputException(p.key(), "cannot be read as " + format.title() + ": " + e.getMessage() + hint);
        }
        return arrays;
    }

    /** The field that names {@code name}: an input first, then the labels, then keep. */
    private String fieldOf(String name) {
        return inputs.contains(name) ? "spec.model.inputs" : name.equals(labels) ? "spec.data.labels" : "spec.data.keep";
    }

    /** What an input name means in {@code format}, for messages. */
    private static String whatNames(PartitionFormat format) {
        return switch (format) {
            case NPZ -> "array";
            case HDF5 -> "dataset";
            case FITS -> "image HDU (EXTNAME) or table column";
            case PARQUET -> "column";
            case WEBDATASET -> "member extension";
        };
    }

    private long rows(Partition p, Map<String, NpyArray> arrays) {
        NpyArray first = arrays.get(inputs.get(0));
        if (first.shape().length == 0) {
            throw new BadInputException("spec.model.inputs", "array '" + first.name() + "' in partition '" + p.key()
                    + "' is a scalar: inputs need a first dimension of samples");
        }
        for (NpyArray a : arrays.values()) {
            if (a.shape().length == 0 || a.rows() != first.rows()) {
                throw new BadInputException(fieldOf(a.name()), "array '" + a.name()
                        + "' in partition '" + p.key() + "' has shape " + a.shapeText() + " but '" + first.name() + "' has "
                        + first.rows() + " samples: every array needs the same first dimension");
            }
        }
        return first.rows();
    }
}
