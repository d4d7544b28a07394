package io.dataparallel.core.s3;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.npz.AlignedBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Whole-object GETs of {@link ObjectStore}: into one direct buffer, or into a file that is then
 * mapped. The SDK retries a request until it hands over the body; a body that breaks off after
 * that is retried here, a bounded number of times.
 */
final class WholeObjects {
    private static final int CHUNK = 1 << 20;

    private WholeObjects() {
    }

    /** {@code read} until its body arrives whole, at most {@link S3Clients#MAX_ATTEMPTS} times. */
    static ObjectStore.Fetched retried(S3Uri uri, String field, Supplier<ObjectStore.Fetched> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (BodyBrokeOff e) {
                if (attempt >= S3Clients.MAX_ATTEMPTS) {
                    throw new StoreUnavailableException("reading GET " + uri + " (" + field + ") broke off " + attempt
                            + " times: " + e.getMessage(), e);
                }
                sleep(Math.min(5_000, 200L << attempt));
            }
        }
    }

    static ObjectStore.Fetched direct(S3Client s3, S3Uri uri, String field, ToIntFunction<ByteBuffer> alignAt) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(uri.bucket()).key(uri.key()))) {
            long length = in.response().contentLength();
            if (length > Integer.MAX_VALUE - AlignedBuffer.ALIGNMENT) {
                throw tooLarge(field, uri, length);
            }
            byte[] chunk = new byte[CHUNK];
            int first = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, length));
            int at = alignAt.applyAsInt(ByteBuffer.wrap(chunk, 0, first).slice());
            ByteBuffer data = AlignedBuffer.allocate((int) length, at);
            data.put(chunk, 0, first);
            int n;
            while (data.hasRemaining() && (n = in.read(chunk, 0, Math.min(chunk.length, data.remaining()))) > 0) {
                data.put(chunk, 0, n);
            }
            if (data.hasRemaining()) {
                throw new BodyBrokeOff("the store ended it after " + data.position() + " of " + length + " bytes", null);
            }
            return new ObjectStore.Fetched(data.flip(), StoredObject.unquote(in.response().eTag()));
        } catch (NoSuchKeyException e) {
            throw BadInputException.missing(field, uri);
        } catch (IOException e) {
            throw new BodyBrokeOff(e.getMessage(), e);
        }
    }

    static ObjectStore.Fetched mapped(S3Client s3, S3Uri uri, Path dir, String field) {
        Path file = null;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(uri.bucket()).key(uri.key()))) {
            long length = in.response().contentLength();
            if (length > Integer.MAX_VALUE) {
                throw tooLarge(field, uri, length);
            }
            file = spillFile(dir, uri);
            long copied = copy(in, file);
            if (copied != length) {
                throw new BodyBrokeOff("the store ended it after " + copied + " of " + length + " bytes", null);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
                return new ObjectStore.Fetched(data, StoredObject.unquote(in.response().eTag()), new FileMapping(data));
            }
        } catch (NoSuchKeyException e) {
            throw BadInputException.missing(field, uri);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot map " + file + " for " + uri + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(file); // the mapping stays readable until closed; the directory keeps nothing
        }
    }

    private static BadInputException tooLarge(String field, S3Uri uri, long length) {
        return new BadInputException(field, uri + " is " + length + " bytes: split partitions below 2 GiB");
    }

    private static Path spillFile(Path dir, S3Uri uri) {
        try {
            return Files.createTempFile(dir, "partition-", ".part");
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot write " + uri + " to " + dir + " (TMPDIR): " + e.getMessage(), e);
        }
    }

    /** The body into {@code file}: a read that fails is a broken body (tried again), a write that fails is the disk's. */
    private static long copy(InputStream in, Path file) {
        byte[] chunk = new byte[CHUNK];
        long copied = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                int n;
                try {
                    n = in.read(chunk);
                } catch (IOException e) {
                    throw new BodyBrokeOff(e.getMessage(), e);
                }
                if (n < 0) {
                    return copied;
                }
                out.write(chunk, 0, n);
                copied += n;
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot write to " + file + " (is TMPDIR full?): " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover .part file in the temp folder is harmless
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting to read again", e);
        }
    }

    /** A body that ended before its Content-Length: the connection broke, the request may be tried again. */
    static final class BodyBrokeOff extends RuntimeException {
        BodyBrokeOff(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
