package io.dataparallel.core.s3;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Spec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the S3 client every part uses from {@code spec.s3}. Credentials come only from
 * the environment given (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: the
 * credential keys of {@link WorkerLaunch}) or, when those are absent, the SDK's default chain (profile files, web identity, container
 * credentials): never from the spec or the command line.
 */
public final class S3Clients {
    /** Attempts per request: 5xx, throttling and timeouts back off and retry before a worker gives up. */
    public static final int MAX_ATTEMPTS = 6;
    /** The longest a read may wait for a byte before the attempt counts as stalled. */
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private S3Clients() {
    }

    public static S3Client create(S3Spec spec, Map<String, String> env) {
        var builder = S3Client.builder()
                .region(Region.of(spec.regionOrDefault()))
                .credentialsProvider(credentials(env))
                .forcePathStyle(spec.pathStyleOrDefault())
                // Stores other than AWS (MinIO, Ceph, S3Proxy) may not know the newer checksum headers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(32)
                        .connectionTimeout(Duration.ofSeconds(10))
                        // a read that brings nothing for this long is a stalled store: the attempt ends and is
                        // retried (the SDK's own default; S3 streams a body without pauses this long)
                        .socketTimeout(SOCKET_TIMEOUT))
                .overrideConfiguration(c -> c.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build()));
        if (spec.hasEndpoint()) {
            builder.endpointOverride(URI.create(spec.endpoint()));
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String key = env.get(WorkerLaunch.ACCESS_KEY_ID);
        String secret = env.get(WorkerLaunch.SECRET_ACCESS_KEY);
        if (key != null && !key.isEmpty() && secret != null) {
            String token = env.get(WorkerLaunch.SESSION_TOKEN);
            return StaticCredentialsProvider.create(token == null || token.isEmpty()
                    ? AwsBasicCredentials.create(key, secret)
                    : AwsSessionCredentials.create(key, secret, token));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
