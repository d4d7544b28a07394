package io.dataparallel.core.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.S3Uri;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A 403 says which way the credentials fall short: a refused write names the output field, the
 * Secret and the permissions to grant; a refused read asks for access to the bucket and prefix.
 */
class ObjectStoreAccessDeniedTest {
    private static final S3Uri CLAIM = new S3Uri("results", "job/_job.json");

    @Test
    void aRefusedWriteSaysTheCredentialsCannotWriteThereAndHowToFixIt() {
        try (ObjectStore store = new ObjectStore(denyingEverything())) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> store.put(CLAIM, new byte[] {1}, "application/json", Map.of(), true, "spec.output.uri"));
            assertEquals("spec.output.uri", e.field());
            assertEquals("spec.output.uri: the credentials in spec.s3.credentialsSecret cannot write s3://results/job/_job.json"
                    + " (PUT: AccessDenied): give them s3:PutObject and s3:DeleteObject on that prefix, or choose a spec.output.uri"
                    + " they can write", e.getMessage());
        }
    }

    @Test
    void aRefusedReadAsksForAccessToTheBucketAndPrefix() {
        try (ObjectStore store = new ObjectStore(denyingEverything())) {
            BadInputException e = assertThrows(BadInputException.class, () -> store.get(new S3Uri("data", "p.npz"), "spec.data.uri"));
            assertEquals("spec.data.uri: access denied to s3://data/p.npz (AccessDenied): give the credentials in"
                    + " spec.s3.credentialsSecret permission to use this bucket and prefix", e.getMessage());
        }
    }

    /** A client whose every request the store answers 403 AccessDenied, as S3 does for a policy's deny. */
    private static S3Client denyingEverything() {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                return null;
            }
            throw S3Exception.builder().statusCode(403).message("Access Denied")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("Access Denied").build()).build();
        });
    }
}
