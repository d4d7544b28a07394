package io.dataparallel.core.testing;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.s3.EmbeddedS3;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real S3 server (S3Proxy) over a temp folder, reached through the real AWS SDK with
 * signed requests. Tests talk to it exactly as workers talk to S3.
 */
public final class S3Fixture implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private final EmbeddedS3 server;
    private final ObjectStore store;
    private final Path root;

    public S3Fixture(Path root) {
        this.root = root;
        this.server = EmbeddedS3.start(root, ACCESS_KEY, SECRET_KEY);
        this.store = new ObjectStore(S3Clients.create(spec(), env()));
    }

    /** {@code spec.s3} pointing at this server. */
    public S3Spec spec() {
        return new S3Spec(server.endpoint().toString(), "us-east-1", true, "s3-creds");
    }

    /** The environment a worker pod would get from the credentials Secret. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(WorkerLaunch.ACCESS_KEY_ID, ACCESS_KEY);
        env.put(WorkerLaunch.SECRET_ACCESS_KEY, SECRET_KEY);
        return env;
    }

    public ObjectStore store() {
        return store;
    }

    public Path root() {
        return root;
    }

    public void createBucket(String bucket) {
        store.client().createBucket(b -> b.bucket(bucket));
    }

    public void put(String uri, byte[] bytes) {
        store.put(S3Uri.parse("test", uri), bytes, "application/octet-stream", Map.of(), false, "test");
    }

    public void put(String uri, Path file) {
        try {
            put(uri, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<byte[]> get(String uri) {
        return store.getIfExists(S3Uri.parse("test", uri), "test");
    }

    public byte[] require(String uri) {
        return get(uri).orElseThrow(() -> new AssertionError(uri + " does not exist"));
    }

    /** The repository root, found from the module folder tests run in. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("examples"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with examples/)");
        }
        return p;
    }

    @Override
    public void close() {
        store.close();
        server.close();
    }
}
