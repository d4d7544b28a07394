package io.dataparallel.api.spec;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * The input: {@code .npz} partitions under an S3 prefix.
 *
 * @param uri       {@code s3://bucket/prefix/}; every {@code .npz} object under it is a partition
 * @param fileLimit take only the first N partitions in lexical key order (CAI's {@code file_limit}); null means all
 * @param labels    optional name of a ground-truth array in each partition; enables quality metrics
 */
public record DataSpec(
        @Required @Pattern(S3Uri.PATTERN) String uri,
        @Min(1) Integer fileLimit,
        String labels) {
}
