package io.dataparallel.core.s3;

import java.util.Map;

/**
 * What a HEAD or a listing says about an object.
 *
 * @param key      full key in the bucket
 * @param size     bytes
 * @param etag     ETag without quotes
 * @param metadata user metadata (x-amz-meta-*), lower-case names; empty from a listing
 */
public record StoredObject(String key, long size, String etag, Map<String, String> metadata) {
    public static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
