package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How to reach S3 or an S3-compatible store. Credentials never appear here: on a cluster
 * they come from the Secret named by {@code credentialsSecret}, locally from the
 * environment or the AWS credential files.
 */
public record S3Spec(
        @JsonPropertyDescription("S3-compatible endpoint URL (MinIO, Ceph, ...). Default: AWS; in local mode, none means"
                + " the embedded store.")
        String endpoint,
        @JsonPropertyDescription("Signing region. Default: us-east-1.")
        String region,
        @JsonPropertyDescription("Path-style addressing (true or false). Default: on when an endpoint is given, as MinIO"
                + " needs; off for AWS.")
        Boolean pathStyle,
        @JsonPropertyDescription("Name of a Secret in the job's namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                + " (and optionally AWS_SESSION_TOKEN). Default: none, the pod's own identity (e.g. IRSA).")
        String credentialsSecret) {
    /** The region used when none is given. */
    public static final String DEFAULT_REGION = "us-east-1";

    /** The region to sign with. */
    public String regionOrDefault() {
        return region == null || region.isBlank() ? DEFAULT_REGION : region;
    }

    /** Path-style addressing: as given, else on for an explicit endpoint (MinIO and friends), off for AWS. */
    public boolean pathStyleOrDefault() {
        return pathStyle != null ? pathStyle : hasEndpoint();
    }

    /** True when an explicit endpoint is set. */
    public boolean hasEndpoint() {
        return endpoint != null && !endpoint.isBlank();
    }
}
