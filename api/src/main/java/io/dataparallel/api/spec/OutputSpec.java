package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Where a job writes: predictions, progress, rank results and the summary, all under one prefix. */
public record OutputSpec(
        @JsonPropertyDescription("s3://bucket/prefix/ for everything the job writes (predictions/, progress/, ranks/,"
                + " combined_data.json, summary.json, report.html); must not overlap spec.data.uri; owned by one job"
                + " through its _job.json.")
        @Required @Pattern(S3Uri.PATTERN) String uri,
        @JsonPropertyDescription("How each partition's prediction is written: npz, or parquet (one column per output plus"
                + " the kept columns, read by pandas.read_parquet); quality data stays .npz either way. Default: npz.")
        OutputFormat format) {
    /** Output written as the default {@code npz}. */
    public OutputSpec(String uri) {
        this(uri, null);
    }

    /** {@code format}, {@code npz} when not given. */
    public OutputFormat formatOrDefault() {
        return format == null ? OutputFormat.npz : format;
    }
}
