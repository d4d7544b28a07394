package io.dataparallel.api.spec;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Where a job writes: predictions, progress, rank results and the summary, all under one prefix.
 *
 * @param uri {@code s3://bucket/prefix/}; owned by one job through {@code _job.json}
 */
public record OutputSpec(@Required @Pattern(S3Uri.PATTERN) String uri) {
}
