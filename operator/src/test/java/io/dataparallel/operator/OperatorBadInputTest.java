package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.operator.harness.OperatorFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad manifest or data file a user can cause (a bad spec field, a missing bucket, prefix,
 * Secret or model, wrong credentials, a model that is not TorchScript or wants arrays the data
 * lacks, a corrupt partition) ends Failed, with a condition and a Warning Event that name the
 * field (for input only the workers find bad: each failed partition's reason names it); partial
 * failure within spec.maxFailedWorkers succeeds.
 */
class OperatorBadInputTest {
    @TempDir
    static Path tmp;
    static OperatorFixture f;
    static int jobs;

    @BeforeAll
    static void start() throws Exception {
        f = new OperatorFixture(tmp);
        f.s3.put("s3://data/mixed/a.npz", CaiDataGenerator.partition(3, 0, 5));
        f.s3.put("s3://data/mixed/b.npz", "not an npz".getBytes());
        f.s3.put("s3://data/mixed/c.npz", CaiDataGenerator.partition(3, 2, 5));
        f.s3.put("s3://data/mixed/d.npz", CaiDataGenerator.partition(3, 3, 5));
        f.s3.put("s3://data/text/readme.txt", "no partitions here".getBytes());
        f.s3.put("s3://models/broken.pt", "not torchscript".getBytes());
        f.client().secrets().inNamespace(OperatorFixture.NAMESPACE).resource(new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName("wrong-creds").build())
                .addToStringData(WorkerLaunch.ACCESS_KEY_ID, "nobody")
                .addToStringData(WorkerLaunch.SECRET_ACCESS_KEY, "nothing").build()).create();
        f.startOperator();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /** Applies a job made from the example spec by {@code change}; waits for it to fail; checks the field is named. */
    static InferenceJob failsNaming(UnaryOperator<InferenceJobSpec> change, String... parts) {
        String name = "bad-" + (++jobs);
        f.apply(name, change.apply(f.spec("s3://out/" + name + "/", 2)));
        InferenceJob failed = f.awaitPhase(name, Phase.Failed);
        Condition condition = failed.getStatus().conditions().stream()
                .filter(c -> c.getType().equals("Failed") && c.getStatus().equals("True")).findFirst().orElseThrow();
        // the Warning Event says what the Failed condition says: kubectl describe shows the same reason
        f.awaitEvents(name, es -> es.stream().anyMatch(e -> "Warning".equals(e.getType())
                && condition.getMessage().equals(e.getMessage())), "Warning Event saying '" + condition.getMessage() + "'");
        List<FailedPartition> partitions = failed.getStatus().failedPartitions() == null ? List.of()
                : failed.getStatus().failedPartitions();
        for (String part : parts) {
            // a bad spec is named by the condition (and so the Event); bad input only the workers could find is named
            // by the reason of every failed partition, which the condition points at
            boolean inCondition = condition.getMessage().contains(part);
            boolean inEveryPartition = !partitions.isEmpty() && partitions.stream().allMatch(p -> p.reason().contains(part));
            assertTrue(inCondition || inEveryPartition, "'" + condition.getMessage() + "' or every reason of " + partitions
                    + " should mention '" + part + "'");
        }
        return failed;
    }

    static InferenceJobSpec with(InferenceJobSpec s, ModelSpec model, DataSpec data, Integer workers, S3Spec s3, String pool,
                                 Integer maxFailed) {
        return s.withModel(model).withData(data).withWorkers(workers).withNodePool(pool).withS3(s3).withMaxFailedWorkers(maxFailed);
    }

    static InferenceJobSpec data(InferenceJobSpec s, String uri, Integer fileLimit) {
        return with(s, s.model(), new DataSpec(uri, fileLimit, null), s.workers(), s.s3(), null, null);
    }

    @Test
    void workersOutOfRange() {
        failsNaming(s -> with(s, s.model(), s.data(), 0, s.s3(), null, null), "spec.workers", "from 1 to 10000");
    }

    @Test
    void fileLimitAboveWhatExists() {
        failsNaming(s -> data(s, "s3://data/cai/", 99), "spec.data.fileLimit", "only 6");
    }

    @Test
    void missingBucket() {
        failsNaming(s -> data(s, "s3://no-such-bucket/cai/", null), "spec.data.uri", "does not exist");
    }

    @Test
    void prefixWithNoPartitions() {
        failsNaming(s -> data(s, "s3://data/nothing/", null), "spec.data.uri", "no objects");
        failsNaming(s -> data(s, "s3://data/text/", null), "spec.data.uri", "none is a partition");
    }

    @Test
    void missingOrWrongCredentials() {
        failsNaming(s -> with(s, s.model(), s.data(), 2, new S3Spec(s.s3().endpoint(), null, true, "no-such-secret"), null, null),
                "spec.s3.credentialsSecret", "does not exist");
        failsNaming(s -> with(s, s.model(), s.data(), 2, new S3Spec(s.s3().endpoint(), null, true, "wrong-creds"), null, null),
                "spec.s3.credentialsSecret", "rejected the credentials");
    }

    @Test
    void unknownNodePool() {
        failsNaming(s -> with(s, s.model(), s.data(), 2, s.s3(), "tpu-pool", null), "spec.nodePool", "cpu-default");
    }

    @Test
    void outputOwnedByAnotherJob() {
        f.s3.put("s3://out/taken/_job.json", "{\"namespace\": \"other\", \"name\": \"owner\"}".getBytes());
        String name = "bad-taken";
        InferenceJobSpec s = f.spec("s3://out/taken/", 2);
        f.apply(name, s);
        InferenceJob failed = f.awaitPhase(name, Phase.Failed);
        assertTrue(failed.getStatus().message().contains("spec.output.uri"), failed.getStatus().message());
        assertTrue(failed.getStatus().message().contains("belongs to job other/owner"), failed.getStatus().message());
    }

    @Test
    void modelMissingOrNotTorchScriptFailsWithoutRetrying() {
        // the planner finds a missing model: no worker starts
        InferenceJob missing = failsNaming(s -> with(s, new ModelSpec("s3://models/missing.pt", s.model().inputs(), null),
                s.data(), 2, s.s3(), null, null), "spec.model.uri", "does not exist");
        assertTrue(missing.getStatus().failedPartitions() == null || missing.getStatus().failedPartitions().isEmpty());
        failsNaming(s -> with(s, new ModelSpec("s3://models/broken.pt", s.model().inputs(), null), s.data(), 2, s.s3(), null, null),
                "spec.model.uri", "neither a TorchScript archive nor an ONNX model");
    }

    @Test
    void modelInputsNotInThePartition() {
        failsNaming(s -> with(s, new ModelSpec(s.model().uri(), List.of("images", "colors"), null), s.data(), 2, s.s3(), null, null),
                "spec.model.inputs", "no array 'colors'");
    }

    @Test
    void aCorruptPartitionWithinMaxFailedWorkersIsAPartialSuccess() {
        f.apply("partial", with(f.spec("s3://out/partial/", 4), f.spec("", 4).model(), new DataSpec("s3://data/mixed/", null, null),
                4, f.spec("", 4).s3(), null, 1));
        InferenceJob done = f.awaitPhase("partial", Phase.Succeeded);
        List<FailedPartition> failed = done.getStatus().failedPartitions();
        assertEquals(1, failed.size());
        assertEquals("b.npz", failed.get(0).partition());
        assertTrue(failed.get(0).reason().contains("cannot be read as .npz"), failed.get(0).reason());
        assertEquals("3/4", done.getStatus().progress());
        assertTrue(done.getStatus().conditions().stream().anyMatch(c -> c.getType().equals("Complete")
                && c.getReason().equals("PartialSuccess")));
        assertTrue(f.s3.get("s3://out/partial/predictions/c.npz").isPresent());
    }

    @Test
    void aCorruptPartitionBeyondMaxFailedWorkersFailsTheJob() {
        InferenceJob failed = failsNaming(s -> with(s, s.model(), new DataSpec("s3://data/mixed/", null, null), 4, s.s3(), null, 0),
                "more than spec.maxFailedWorkers", "'s log: kubectl logs -n ");
        assertTrue(failed.getStatus().conditions().stream().anyMatch(c -> c.getType().equals("Failed")
                && c.getReason().equals("MaxFailedWorkersExceeded")), failed.getStatus().conditions().toString());
        assertEquals("b.npz", failed.getStatus().failedPartitions().get(0).partition());
        assertEquals(new S3Uri("out", "bad-" + jobs + "/").toString(), failed.getStatus().outputUri());
    }
}
