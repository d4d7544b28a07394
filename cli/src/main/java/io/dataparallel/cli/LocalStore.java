package io.dataparallel.cli;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.InferenceJobSpec;
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
import java.util.UUID;

/**
 * The store a local run talks to: the manifest's endpoint when it names one, else an
 * embedded S3 server over a folder ({@code s3://bucket/key} is {@code DIR/bucket/key}).
 * Either way workers reach it over the S3 protocol, as they would on a cluster.
 */
final class LocalStore implements AutoCloseable {
    private final EmbeddedS3 embedded;
    private final ObjectStore store;
    private final S3Spec s3;
    private final Map<String, String> env;
    private final Path dir;

    private LocalStore(EmbeddedS3 embedded, ObjectStore store, S3Spec s3, Map<String, String> env, Path dir) {
        this.embedded = embedded;
        this.store = store;
        this.s3 = s3;
        this.env = env;
        this.dir = dir;
    }

    /** Opens the store {@code spec} names, or serves {@code dir} when it names no endpoint. */
    static LocalStore open(InferenceJobSpec spec, Path dir) {
        S3Spec given = spec.s3OrDefault();
        Map<String, String> env = new HashMap<>(System.getenv());
        if (given.hasEndpoint()) {
            return new LocalStore(null, new ObjectStore(S3Clients.create(given, env)), given, env, null);
        }
        // credentials that live as long as this run: the embedded server still checks signatures
        String key = "local-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        EmbeddedS3 server = EmbeddedS3.start(dir, key, secret);
        env.put(WorkerLaunch.ACCESS_KEY_ID, key);
        env.put(WorkerLaunch.SECRET_ACCESS_KEY, secret);
        env.remove(WorkerLaunch.SESSION_TOKEN);
        S3Spec local = new S3Spec(server.endpoint().toString(), given.regionOrDefault(), true, null);
        return new LocalStore(server, new ObjectStore(S3Clients.create(local, env)), local, env, dir);
    }

    /** {@code spec} with {@code spec.s3} pointing at this store, as workers must see it. */
    InferenceJobSpec effective(InferenceJobSpec spec) {
        return spec.withS3(s3);
    }

    /** In the embedded store a bucket is a folder: create the output's so a first run just works. */
    void ensureBucket(S3Uri uri) {
        if (dir != null) {
            try {
                Files.createDirectories(dir.resolve(uri.bucket()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir.resolve(uri.bucket()), e);
            }
        }
    }

    /** Where an object lives on disk, absolute so that messages work from any folder; null for a remote store. */
    Path localPath(S3Uri uri) {
        return dir == null ? null : dir.toAbsolutePath().normalize().resolve(uri.bucket()).resolve(uri.key());
    }

    ObjectStore store() {
        return store;
    }

    /** The environment workers get: this process's, plus the embedded store's credentials. */
    Map<String, String> env() {
        return env;
    }

    @Override
    public void close() {
        store.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
