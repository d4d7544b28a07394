package io.dataparallel.core.s3;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.S3Uri;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 operations the parts need, with the store's errors turned into messages a user
 * can act on. Every call names the spec field the location came from, so "access denied"
 * or "no such bucket" points at {@code spec.data.uri}, {@code spec.model.uri} or
 * {@code spec.output.uri}. Transient failures are retried by the client
 * ({@link S3Clients#MAX_ATTEMPTS}) and then surface as {@link StoreUnavailableException}.
 */
public final class ObjectStore implements AutoCloseable {
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final boolean owned;

    /** A store that owns {@code s3}: closing the store closes the client. */
    public ObjectStore(S3Client s3) {
        this(s3, true);
    }

    private ObjectStore(S3Client s3, boolean owned) {
        this.s3 = s3;
        this.owned = owned;
    }

    /** A store over a client someone else keeps (a cache): closing the store leaves the client open. */
    public static ObjectStore borrowing(S3Client s3) {
        return new ObjectStore(s3, false);
    }

    public S3Client client() {
        return s3;
    }

    /** Every object under {@code prefix}, in the store's (lexical) order, across all pages. */
    public List<StoredObject> list(S3Uri prefix, String field) {
        return call("LIST", field, prefix, () -> {
            List<StoredObject> out = new ArrayList<>();
            String token = null;
            do {
                ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder()
                        .bucket(prefix.bucket()).prefix(prefix.key()).continuationToken(token).build());
                for (S3Object o : page.contents()) {
                    out.add(new StoredObject(o.key(), o.size(), StoredObject.unquote(o.eTag()), Map.of()));
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
            return out;
        });
    }

    /** The object's size, ETag and metadata, or empty when it does not exist. */
    public Optional<StoredObject> head(S3Uri uri, String field) {
        return call("HEAD", field, uri, () -> {
            try {
                HeadObjectResponse r = s3.headObject(b -> b.bucket(uri.bucket()).key(uri.key()));
                return Optional.of(new StoredObject(uri.key(), r.contentLength(), StoredObject.unquote(r.eTag()), r.metadata()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404 && !"NoSuchBucket".equals(code(e))) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** The object's bytes, or empty when it does not exist. */
    public Optional<byte[]> getIfExists(S3Uri uri, String field) {
        return call("GET", field, uri, () -> {
            try {
                return Optional.of(s3.getObjectAsBytes(b -> b.bucket(uri.bucket()).key(uri.key())).asByteArray());
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * The object's first {@code n} bytes (all of a shorter object), from one ranged GET; a missing object is a bad
     * input naming {@code field}.
     */
    public byte[] head(S3Uri uri, int n, String field) {
        return call("GET", field, uri, () -> {
            try {
                return s3.getObjectAsBytes(b -> b.bucket(uri.bucket()).key(uri.key()).range("bytes=0-" + (n - 1))).asByteArray();
            } catch (NoSuchKeyException e) {
                throw BadInputException.missing(field, uri);
            } catch (S3Exception e) {
                if (e.statusCode() == 416) { // an empty object has no byte 0
                    return new byte[0];
                }
                throw e;
            }
        });
    }

    /** The object's bytes; a missing object is a bad input naming {@code field}. */
    public byte[] get(S3Uri uri, String field) {
        return getIfExists(uri, field).orElseThrow(() ->
                BadInputException.missing(field, uri));
    }

    /**
     * Downloads to {@code target} (replaced atomically) and returns the ETag the store served.
     */
    public String download(S3Uri uri, Path target, String field) {
        return call("GET", field, uri, () -> {
            Path part = target.resolveSibling(target.getFileName() + ".part");
            try {
                GetObjectResponse r = s3.getObject(GetObjectRequest.builder().bucket(uri.bucket()).key(uri.key()).build(),
                        ResponseTransformer.toFile(part));
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return StoredObject.unquote(r.eTag());
            } catch (NoSuchKeyException e) {
                throw BadInputException.missing(field, uri);
            } catch (IOException e) {
                throw new StoreUnavailableException("cannot write " + target + ": " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // a leftover .part file in the temp folder is harmless
                }
            }
        });
    }

    /**
     * An object read into memory or mapped from a file, and the ETag the store served with it.
     *
     * @param mapping what to close once nothing reads {@code data} any more; {@link FileMapping#NONE} for memory
     */
    public record Fetched(ByteBuffer data, String etag, FileMapping mapping) {
        public Fetched(ByteBuffer data, String etag) {
            this(data, etag, FileMapping.NONE);
        }
    }

    /**
     * Reads the whole object into one direct buffer: native code (libtorch) can use slices of
     * it without copying, and nothing touches the disk. The object is placed so that the byte
     * at the offset {@code alignAt} picks from its first chunk (-1: none) starts on a 64-byte
     * boundary: the array that starts there can go to native code as it is, where a misaligned
     * one would need a copy.
     */
    public Fetched getDirect(S3Uri uri, String field, ToIntFunction<ByteBuffer> alignAt) {
        return WholeObjects.retried(uri, field, () -> call("GET", field, uri, () -> WholeObjects.direct(s3, uri, field, alignAt)));
    }

    /**
     * Reads the whole object into a file under {@code dir}, then maps it. For a partition whose arrays are decoded
     * (copied) out of its bytes (compressed or big-endian formats), the raw bytes then sit in the page cache, which
     * the kernel reclaims under a memory limit, rather than in memory the process holds beside the decoded arrays.
     * The file is removed as soon as it is mapped, so nothing is left in {@code dir}; its disk blocks stay
     * until the caller closes {@link Fetched#mapping()}, which it must do once it is done with the bytes.
     */
    public Fetched getMapped(S3Uri uri, Path dir, String field) {
        return WholeObjects.retried(uri, field, () -> call("GET", field, uri, () -> WholeObjects.mapped(s3, uri, dir, field)));
    }

    /**
     * One atomic PUT. With {@code onlyIfAbsent} the write is conditional
     * ({@code If-None-Match: *}) and returns false, writing nothing, when the key exists.
     */
    public boolean put(S3Uri uri, byte[] body, String contentType, Map<String, String> metadata,
                       boolean onlyIfAbsent, String field) {
        return call("PUT", field, uri, () -> {
            PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(uri.bucket()).key(uri.key())
                    .contentType(contentType).metadata(metadata);
            if (onlyIfAbsent) {
                req.ifNoneMatch("*");
            }
            try {
                s3.putObject(req.build(), RequestBody.fromBytes(body));
                return true;
            } catch (S3Exception e) {
                if (onlyIfAbsent && e.statusCode() == 412) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * Deletes every object under {@code prefix}, a thousand per request (the most one
     * DeleteObjects takes); returns how many were deleted.
     */
    public int deleteAll(S3Uri prefix, String field) {
        List<StoredObject> objects = list(prefix, field);
        for (int from = 0; from < objects.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> ids = new ArrayList<>();
            for (StoredObject o : objects.subList(from, Math.min(objects.size(), from + DELETE_BATCH))) {
                ids.add(ObjectIdentifier.builder().key(o.key()).build());
            }
            call("DELETE", field, prefix, () -> {
                DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(prefix.bucket()).delete(d -> d.objects(ids).quiet(true)));
                if (r.hasErrors() && !r.errors().isEmpty()) {
                    S3Error first = r.errors().get(0);
                    throw new StoreUnavailableException("the store did not delete " + r.errors().size() + " objects under " + prefix
                            + " (" + first.key() + ": " + first.code() + " " + first.message() + ")", null);
                }
                return null;
            });
        }
        return objects.size();
    }

    /** An unconditional PUT of JSON. */
    public void putJson(S3Uri uri, byte[] json, String field) {
        put(uri, json, "application/json", Map.of(), false, field);
    }

    /** Runs one store request ({@code operation} on {@code uri}); a failure names both, and the field behind the URI. */
    private static <T> T call(String operation, String field, S3Uri uri, Supplier<T> action) {
        try {
            return action.get();
        } catch (S3Exception e) {
            throw translate(operation, field, uri, e);
        } catch (SdkClientException e) {
            throw new StoreUnavailableException("cannot reach the store for " + operation + " " + uri + " (" + field
                    + ") after " + S3Clients.MAX_ATTEMPTS + " attempts: " + rootMessage(e)
                    + "; check spec.s3.endpoint and that the store is up", e);
        }
    }

    private static RuntimeException translate(String operation, String field, S3Uri uri, S3Exception e) {
        String code = code(e);
        if ("NoSuchBucket".equals(code)) {
            return new BadInputException(field, "bucket '" + uri.bucket() + "' does not exist: create it or fix the URI " + uri);
        }
        if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
            return new BadInputException("spec.s3.credentialsSecret", "the store rejected the credentials (" + code
                    + ") for " + uri + ": put a valid AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the Secret (locally: the environment)");
        }
        if (e.statusCode() == 403 && ("PUT".equals(operation) || "DELETE".equals(operation))) {
            // typically credentials that may read the data but not write the output
            return new BadInputException(field, "the credentials in spec.s3.credentialsSecret cannot write " + uri + " (" + operation
                    + ": " + code + "): give them s3:PutObject and s3:DeleteObject on that prefix, or choose a " + field
                    + " they can write");
        }
        if (e.statusCode() == 403) {
            return new BadInputException(field, "access denied to " + uri + " (" + code
                    + "): give the credentials in spec.s3.credentialsSecret permission to use this bucket and prefix");
        }
        if (e.statusCode() >= 500 || e.statusCode() == 429) {
            return new StoreUnavailableException("the store kept failing for " + operation + " " + uri + " (" + field + "): HTTP "
                    + e.statusCode() + " " + code + " after " + S3Clients.MAX_ATTEMPTS + " attempts", e);
        }
        return new BadInputException(field, "the store refused " + operation + " " + uri + ": HTTP " + e.statusCode() + " " + code
                + (e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? " (" + e.awsErrorDetails().errorMessage() + ")" : ""));
    }

    private static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    @Override
    public void close() {
        if (owned) {
            s3.close();
        }
    }
}
