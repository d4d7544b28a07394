package io.dataparallel.api.spec;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Where a job writes: predictions, progress, rank results and the summary, all under one prefix.
 *
 * @param uri    {@code s3://bucket/prefix/}; owned by one job through {@code _job.json}
 * @param format how each partition's prediction is written: {@code npz} (default) or {@code parquet}; quality data
 *               stays {@code .npz} either way
 */
public record OutputSpec(@Required @Pattern(S3Uri.PATTERN) String uri, OutputFormat format) {
    /** Output written as the default {@code npz}. */
    public OutputSpec(String uri) {
        this(uri, null);
    }

    /** {@code format}, {@code npz} when not given. */
    public OutputFormat formatOrDefault() {
        return format == null ? OutputFormat.npz : format;
    }
}
