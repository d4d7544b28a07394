package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * The input: partitions (npz, HDF5, FITS, Parquet, WebDataset shards) under an S3 prefix. Each
 * component's {@link JsonPropertyDescription} is its documentation: the CRD's description, what
 * {@code kubectl explain inferencejob.spec.data} prints.
 */
public record DataSpec(
        @JsonPropertyDescription("s3://bucket/prefix/ of the input: every .npz, .h5/.hdf5, .fits/.fit/.fits.gz,"
                + " .parquet or .tar object under it is a partition; other keys are ignored and do not count toward fileLimit.")
        @Required @Pattern(S3Uri.PATTERN) String uri,
        @JsonPropertyDescription("Take only the first N partitions in lexical key order (CAI's file_limit), at least 1."
                + " Default: all. More than exist is an error that says how many do.")
        @Min(1) Integer fileLimit,
        @JsonPropertyDescription("Name of a ground-truth array in every partition; enables quality metrics"
                + " (status.metrics.quality): integer labels give classification accuracy, float labels regression figures."
                + " Default: none.")
        String labels,
        @JsonPropertyDescription("Arrays or columns copied unchanged into each partition's prediction (catalog ids,"
                + " coordinates), so predictions join back to their inputs; each is stored under its name's last path segment"
                + " (meta/objid as objid), which must not be an output's name. Part of the provenance: changing it recomputes"
                + " rather than resuming. Default: none.")
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
