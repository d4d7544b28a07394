package io.dataparallel.api.spec;

import io.dataparallel.api.BadInputException;

/**
 * An {@code s3://bucket/key} location. A prefix ({@link #asPrefix()}) always ends with
 * {@code /} so that {@code s3://b/data} never matches {@code s3://b/data-old/...}.
 *
 * @param bucket the bucket name
 * @param key    the key or prefix inside the bucket, without a leading slash; may be empty
 */
public record S3Uri(String bucket, String key) {
    /** What an s3:// URI in a spec must look like (the CRD's OpenAPI pattern). */
    public static final String PATTERN = "^s3://[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9](/.*)?$";

    /**
     * Parses {@code text}; a malformed value is a bad input naming {@code field}.
     */
    public static S3Uri parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new BadInputException(field, "is required: give an s3://bucket/prefix URI");
        }
        if (!text.startsWith("s3://")) {
            throw new BadInputException(field, "'" + text + "' is not an S3 URI: write it as s3://bucket/prefix");
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw new BadInputException(field, "'" + bucket + "' is not a valid bucket name in '" + text
                    + "': use 3-63 lowercase letters, digits, dots or hyphens, as in s3://my-bucket/prefix");
        }
        if (hasDotSegment(key)) {
            throw new BadInputException(field, "'" + text + "' has a '.' or '..' segment: S3 keys are not paths, and an HTTP"
                    + " client may resolve it into another prefix or bucket; write the URI without it");
        }
        return new S3Uri(bucket, key);
    }

    /**
     * Whether {@code key} has a {@code .} or {@code ..} segment. S3 stores such a key literally, but
     * URI normalisation on the way (path-style addressing puts the bucket in the path) can turn
     * {@code out/predictions/../../../other-bucket/x} into another bucket's key: such keys are refused.
     */
    public static boolean hasDotSegment(String key) {
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** This location as a folder-like prefix: empty, or ending with {@code /}. */
    public S3Uri asPrefix() {
        return key.isEmpty() || key.endsWith("/") ? this : new S3Uri(bucket, key + "/");
    }

    /** The location of {@code relative} under this prefix. */
    public S3Uri resolve(String relative) {
        return new S3Uri(bucket, asPrefix().key + relative);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
