package io.dataparallel.api.spec;

/**
 * How to reach S3 or an S3-compatible store. Credentials never appear here: on a cluster
 * they come from the Secret named by {@code credentialsSecret}, locally from the
 * environment or the AWS credential files.
 *
 * @param endpoint          S3 endpoint URL; empty means AWS (or, in local mode, the embedded store)
 * @param region            signing region (default us-east-1)
 * @param pathStyle         path-style addressing (default: on when an endpoint is given, as MinIO needs)
 * @param credentialsSecret name of a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
 */
public record S3Spec(String endpoint, String region, Boolean pathStyle, String credentialsSecret) {
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
