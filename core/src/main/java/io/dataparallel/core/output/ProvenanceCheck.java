package io.dataparallel.core.output;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.plan.ModelObject;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.plan.Provenance;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.model.ModelFormat;
import io.dataparallel.core.s3.StoredObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A prediction counts as done only when it was computed by the same model, inputs and
 * outputs from the same partition bytes; anything else would resume from another run's
 * results and call them this run's. Checked twice: job-wide when the output is claimed
 * (against {@code _job.json}, before any worker starts) and per prediction when a worker
 * would skip it (against the prediction's metadata, which also covers the partition).
 * A refusal names the field that changed and the two ways on.
 */
public final class ProvenanceCheck {
    /** What a user can do when the earlier predictions are not this run's. */
    public static final String WAYS_ON = "write to a new spec.output.uri, or recompute every partition with "
            + "`dataparallel run --restart` (on a cluster: the annotation " + InferenceJob.RESTART_ANNOTATION + ": \"true\")";

    private ProvenanceCheck() {
    }

    /** Fails unless the predictions recorded by {@code _job.json} ({@code recorded}) are what {@code now} would compute. */
    public static void requireSame(Provenance recorded, Provenance now, OutputLayout layout) {
        S3Uri predictions = layout.root().resolve(OutputLayout.PREDICTIONS);
        if (recorded == null) {
            throw new BadInputException(OutputLayout.FIELD, layout.owner() + " records no provenance (written by an earlier"
                    + " version), so the predictions under " + predictions + " cannot be checked against this run: " + WAYS_ON);
        }
        String since = " since the predictions under " + predictions + " were written (";
        if (!Objects.equals(recorded.model(), now.model())) {
            throw new BadInputException("spec.model.uri", "the model changed" + since + describe(recorded.model()) + " -> "
                    + describe(now.model()) + "): " + WAYS_ON);
        }
        if (!recorded.inputs().equals(now.inputs())) {
            throw new BadInputException("spec.model.inputs", "changed" + since + recorded.inputs() + " -> " + now.inputs() + "): " + WAYS_ON);
        }
        if (!recorded.outputs().equals(now.outputs())) {
            throw new BadInputException("spec.model.outputs", "changed" + since + recorded.outputs() + " -> " + now.outputs() + "): " + WAYS_ON);
        }
        if (!recorded.keep().equals(now.keep())) {
            throw new BadInputException("spec.data.keep", "changed" + since + recorded.keep() + " -> " + now.keep() + "): " + WAYS_ON);
        }
    }

    /**
     * The metadata a prediction is written with: who wrote it, from what, its samples (so resuming
     * need not read it) and how it was computed ({@code figures}, kept by a run that resumes).
     */
    public static Map<String, String> metadata(Plan plan, Partition p, PartitionResult figures) {
        return Map.of(OutputLayout.META_JOB, plan.job().id(),
                OutputLayout.META_SAMPLES, Long.toString(figures.samples()),
                OutputLayout.META_FIGURES, PredictionFigures.encode(figures),
                OutputLayout.META_MODEL, modelTag(plan.model()),
                OutputLayout.META_IO, ioDigest(plan.provenance()),
                OutputLayout.META_PARTITION_ETAG, p.etag(),
                OutputLayout.META_PARTITION_SIZE, Long.toString(p.size()));
    }

    /**
     * Partition {@code p} as resumed, with the figures of the run that computed its existing
     * prediction, when that prediction is this plan's result; fails naming the field that differs otherwise.
     */
    public static PartitionResult requireDone(StoredObject prediction, Plan plan, Partition p, OutputLayout layout) {
        Map<String, String> meta = prediction.metadata();
        S3Uri uri = layout.prediction(p.key());
        String owner = meta.get(OutputLayout.META_JOB);
        if (!plan.job().id().equals(owner)) {
            throw new BadInputException(OutputLayout.FIELD, uri + " was written by "
                    + (owner == null ? "something other than dataparallel" : "job " + owner)
                    + ", not " + plan.job().id() + ": choose another spec.output.uri");
        }
        String model = meta.get(OutputLayout.META_MODEL);
        if (model == null) {
            throw new BadInputException(OutputLayout.FIELD, uri + " records no provenance (written by an earlier version),"
                    + " so it cannot be checked against this run: " + WAYS_ON);
        }
        String since = " since " + uri + " was written (";
        if (!model.equals(modelTag(plan.model()))) {
            throw new BadInputException("spec.model.uri", "the model changed" + since + "etag " + model + " -> "
                    + modelTag(plan.model()) + "): " + WAYS_ON);
        }
        if (!ioDigest(plan.provenance()).equals(meta.get(OutputLayout.META_IO))) {
            throw new BadInputException("spec.model", "spec.model.inputs or spec.model.outputs changed" + since + "now "
                    + plan.provenance().inputs() + " -> " + plan.provenance().outputs() + "): " + WAYS_ON);
        }
        String etag = meta.get(OutputLayout.META_PARTITION_ETAG);
        String size = meta.get(OutputLayout.META_PARTITION_SIZE);
        if (!p.etag().equals(etag) || !Long.toString(p.size()).equals(size)) {
            throw new BadInputException("spec.data.uri", "partition '" + p.key() + "' changed" + since + "etag " + etag + ", "
                    + size + " bytes -> etag " + p.etag() + ", " + p.size() + " bytes): " + WAYS_ON);
        }
        long samples = Long.parseLong(meta.getOrDefault(OutputLayout.META_SAMPLES, "0"));
        return PredictionFigures.resumed(p.key(), samples, p.size(), meta.get(OutputLayout.META_FIGURES));
    }

    /**
     * What {@code plan}'s predictions are computed with, as one line: the model as predictions record it and the digest of
     * the names. Two runs with the same line computed the same job's predictions.
     */
    public static String line(Plan plan) {
        return modelTag(plan.model()) + " " + ioDigest(plan.provenance());
    }

    private static String describe(ModelObject model) {
        return model == null ? "unknown" : "etag " + model.etag() + ", " + model.size() + " bytes";
    }

    /**
     * The model as a prediction records it: its ETag, and for a model that is not TorchScript its format too
     * ({@code ONNX:etag}), so a model whose format changed is a changed model (a TorchScript model keeps the bare
     * ETag predictions recorded before formats were).
     */
    private static String modelTag(ModelObject model) {
        if (model == null) {
            return "unknown";
        }
        return model.format() == null || model.format().equals(ModelFormat.TORCHSCRIPT.title()) ? model.etag()
                : model.format() + ":" + model.etag();
    }

    /** Input and output names as one short digest: names may be long or non-ASCII, which metadata values cannot hold. */
    static String ioDigest(Provenance provenance) {
        // kept arrays join the digest only when there are some, so predictions written before keep existed still match
        String text = String.join("\n", provenance.inputs()) + "\n->\n" + String.join("\n", provenance.outputs())
                + (provenance.keep() == null || provenance.keep().isEmpty() ? "" : "\nkeep\n" + String.join("\n", provenance.keep()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
