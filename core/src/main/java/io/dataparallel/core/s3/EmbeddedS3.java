package io.dataparallel.core.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * A real S3 server (S3Proxy) over a local folder: object {@code s3://bucket/key} is the file
 * {@code root/bucket/key}. Local mode serves the store with it and tests use it as S3. It
 * listens on loopback only and checks AWS signatures, so wrong credentials fail as on AWS.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts a server over {@code root} on a free loopback port, accepting these credentials. */
    public static EmbeddedS3 start(Path root, String accessKey, String secretKey) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + root + ": " + e.getMessage(), e);
        }
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", root.toAbsolutePath().toString());
        return start("filesystem-nio2", props, accessKey, secretKey, root.toString());
    }

    /**
     * A server that keeps objects in memory. The folder store re-reads its directory for every
     * listing page, which makes listing 100,000 objects take minutes; benchmarks of our own
     * listing and planning use this one so they measure us, not the test server's disk layout.
     */
    public static EmbeddedS3 startInMemory(String accessKey, String secretKey) {
        return start("transient", new Properties(), accessKey, secretKey, "memory");
    }

    private static EmbeddedS3 start(String provider, Properties props, String accessKey, String secretKey, String where) {
        try {
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(BlobStores.create(provider, props))
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("embedded S3 did not start within 30 s");
                }
                Thread.sleep(10);
            }
            return new EmbeddedS3(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting embedded S3", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded S3 over " + where + ": " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop embedded S3: " + e.getMessage(), e);
        }
    }
}
