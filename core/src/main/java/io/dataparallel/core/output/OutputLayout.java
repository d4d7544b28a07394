package io.dataparallel.core.output;

import io.dataparallel.api.spec.OutputFormat;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.spec.S3Uri;

/**
 * Where everything lives under {@code spec.output.uri}. The one place that knows the
 * output layout; the README's "Outputs" section says what each key holds and who writes it.
 * Built once where a job's plan or spec is read and handed to what reads and writes the
 * outputs; every error about them names {@link #FIELD}.
 *
 * <p>The prediction's name follows {@code spec.output.format}: a prediction written in the other format has
 * another name, so a plan never sees, resumes from or summarizes it (a run that switches format computes
 * every partition again, beside the earlier files, which {@code --restart} deletes).
 *
 * @param root   the output prefix
 * @param format how predictions are written ({@link Predictions#toBytes}) and so what they are called
 */
public record OutputLayout(S3Uri root, OutputFormat format) {
    /** The field a user fixes when the output cannot be read, written or claimed. */
    public static final String FIELD = "spec.output.uri";
    public static final String PREDICTIONS = "predictions/";
    public static final String QUALITY = "quality/";
    public static final String PROGRESS = "progress/";
    public static final String RANKS = "ranks/";
    /** Metadata on a prediction: the job that wrote it. */
    public static final String META_JOB = "dataparallel-job";
    /** Metadata on a prediction: samples in its partition (so a resumed worker need not read it). */
    public static final String META_SAMPLES = "dataparallel-samples";
    /** Metadata on a prediction: the ETag of the model that computed it. */
    public static final String META_MODEL = "dataparallel-model";
    /** Metadata on a prediction: a digest of the input and output names it was computed with. */
    public static final String META_IO = "dataparallel-io";
    /** Metadata on a prediction: the ETag fingerprint of the partition it was computed from. */
    public static final String META_PARTITION_ETAG = "dataparallel-partition-etag";
    /** Metadata on a prediction: the size of the partition it was computed from. */
    public static final String META_PARTITION_SIZE = "dataparallel-partition-size";

    /** Metadata on a prediction: how it was computed ({@link PredictionFigures}), kept when a later run resumes. */
    public static final String META_FIGURES = "dataparallel-figures";

    /** The layout of {@code spec.output}: its prefix and its predictions' format. */
    public static OutputLayout of(OutputSpec output) {
        return new OutputLayout(S3Uri.parse(FIELD, output.uri()).asPrefix(), output.formatOrDefault());
    }

    /** The layout of {@code .npz} predictions (the default format) under {@code outputUri}. */
    public static OutputLayout of(String outputUri) {
        return of(new OutputSpec(outputUri));
    }

    /** {@code _job.json}: who owns this output. */
    public S3Uri owner() {
        return root.resolve("_job.json");
    }

    /** The prediction of partition {@code key} (relative to the data prefix): {@code predictions/} and its {@link #predictionName}. */
    public S3Uri prediction(String key) {
        return root.resolve(PREDICTIONS + predictionName(key));
    }

    /**
     * What the prediction of partition {@code key} is called under {@code predictions/}. As {@code .npz}: {@code <key>} for an
     * {@code .npz} partition, {@code <key>.npz} for the other formats ({@code part-02.fits.gz} -> {@code part-02.fits.gz.npz}),
     * so two partitions that differ only by extension never share one. As Parquet: {@code <key>.parquet} always
     * ({@code part-02.npz.parquet}), one rule that cannot collide.
     */
    public String predictionName(String key) {
        return switch (format) {
            case npz -> npzName(key);
            case parquet -> key + ".parquet";
        };
    }

    /** Per-sample quality data of partition {@code key}, written only when labels are set; named as its prediction. */
    public S3Uri quality(String key) {
        return root.resolve(QUALITY + npzName(key));
    }

    /** {@code key} itself when it ends in {@code .npz}, else {@code key.npz}: what a partition's outputs are called. */
    public static String npzName(String key) {
        return key.toLowerCase(java.util.Locale.ROOT).endsWith(".npz") ? key : key + ".npz";
    }

    public S3Uri progress(int rank) {
        return root.resolve(PROGRESS + rank + ".json");
    }

    public S3Uri rankResult(int rank) {
        return root.resolve(RANKS + rank + ".json");
    }

    public S3Uri combined() {
        return root.resolve("combined_data.json");
    }

    public S3Uri summary() {
        return root.resolve("summary.json");
    }

    /** A self-contained HTML page showing where the job's time went. */
    public S3Uri report() {
        return root.resolve("report.html");
    }
}
