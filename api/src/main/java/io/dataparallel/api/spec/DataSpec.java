package io.dataparallel.api.spec;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * The input: partitions (npz, HDF5, FITS, Parquet, WebDataset shards) under an S3 prefix.
 *
 * @param uri       {@code s3://bucket/prefix/}; every object of a partition format under it is a partition
 * @param fileLimit take only the first N partitions in lexical key order (CAI's {@code file_limit}); null means all
 * @param labels    optional name of a ground-truth array in each partition; enables quality metrics
 * @param keep      arrays or columns copied unchanged into each partition's prediction (catalog ids, coordinates), so
 *                  predictions join back to their inputs; stored under the name's last path segment ({@code meta/id}
 *                  as {@code id}). Default none
 */
public record DataSpec(
        @Required @Pattern(S3Uri.PATTERN) String uri,
        @Min(1) Integer fileLimit,
        String labels,
        List<String> keep) {
    /** Data with nothing kept. */
    public DataSpec(String uri, Integer fileLimit, String labels) {
        this(uri, fileLimit, labels, null);
    }

    /** {@code keep}, empty when not given. */
    public List<String> keepOrNone() {
        return keep == null ? List.of() : keep;
    }

    /** The array name a kept {@code name} is stored under in a prediction: its last path segment. */
    public static String keptName(String name) {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return n.substring(n.lastIndexOf('/') + 1);
    }
}
