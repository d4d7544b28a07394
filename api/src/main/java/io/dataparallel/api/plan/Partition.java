package io.dataparallel.api.plan;

/**
 * One input partition: an {@code .npz} object under {@code spec.data.uri}.
 *
 * @param key  the key relative to the data prefix; its prediction is {@code predictions/<key>}
 * @param size size in bytes at planning time
 * @param etag fingerprint of the object's ETag at planning time (its first
 *             {@link Plan#ETAG_CHARS} characters, enough to notice a changed object while
 *             keeping 100,000 partitions in one ConfigMap)
 */
public record Partition(String key, long size, String etag) {
}
