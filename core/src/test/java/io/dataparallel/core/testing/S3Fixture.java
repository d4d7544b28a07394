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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real S3 server (S3Proxy) over a temp folder, reached through the real AWS SDK with
 * signed requests. Tests talk to it exactly as workers talk to S3.
 */
public final class S3Fixture implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    /** Where {@link #withExample} puts the example's astro model, partitions and output. */
    public static final String EXAMPLE_MODEL = "s3://models/astro/redshift.pt";
    public static final String EXAMPLE_DATA = "s3://data/astro/";
    public static final String EXAMPLE_OUTPUT = "s3://results/astro/";
    public static final List<String> EXAMPLE_INPUTS = List.of("images", "magnitudes");
    public static final List<String> EXAMPLE_OUTPUTS = List.of("redshift_pred");

    private final EmbeddedS3 server;
    private final ObjectStore store;
    private final Path root;

    public S3Fixture(Path root) {
        this.root = root;
        this.server = EmbeddedS3.start(root, ACCESS_KEY, SECRET_KEY);
        this.store = new ObjectStore(S3Clients.create(spec(), env()));
    }

    /**
     * The example store most tests start from: buckets {@code models}, {@code data} and
     * {@code results}, the example's astro model at {@link #EXAMPLE_MODEL} and {@code partitions}
     * copies of its small astro partition as {@code part-<i>.npz} under {@link #EXAMPLE_DATA}.
     */
    public static S3Fixture withExample(Path root, int partitions) {
        S3Fixture s3 = new S3Fixture(root);
        Path examples = repoRoot().resolve("examples");
        for (String bucket : List.of("models", "data", "results")) {
            s3.createBucket(bucket);
        }
        s3.put(EXAMPLE_MODEL, examples.resolve("models/astro-redshift.pt"));
        for (int i = 0; i < partitions; i++) {
            s3.put(EXAMPLE_DATA + "part-" + i + ".npz", examples.resolve("reference/astro-small.npz"));
        }
        return s3;
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
