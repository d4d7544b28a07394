package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.testing.S3Fixture;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An InferenceJob applied again after its model changed is refused when planning (Failed, a
 * condition and a Warning Event naming spec.model.uri) instead of resuming from the old model's
 * predictions; with the restart annotation it recomputes every partition.
 */
class OperatorProvenanceTest {
    static final String NAME = "retrained";
    static final String MODEL = "s3://models/astro/retrained.pt";
    static final String PREDICTION = "s3://out/retrained/predictions/part-00000.npz";

    @TempDir
    static Path tmp;
    static OperatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new OperatorFixture(tmp);
        f.s3.put(MODEL, S3Fixture.repoRoot().resolve("examples/models/astro-redshift.pt"));
        f.startOperator();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static InferenceJobSpec spec() {
        InferenceJobSpec s = f.spec("s3://out/retrained/", 2);
        return s.withModel(new ModelSpec(MODEL, s.model().inputs(), s.model().outputs()));
    }

    /** Deletes the job and, as the garbage collector would, its children; waits until it is gone. */
    static void delete(String name) throws InterruptedException {
        InferenceJob job = f.get(name);
        f.client().resource(job).delete();
        f.client().configMaps().inNamespace(OperatorFixture.NAMESPACE).withName(Children.planConfigMap(job)).delete();
        f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(Children.workerJob(job)).delete();
        f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName(Children.summarizerJob(job)).delete();
        long deadline = System.currentTimeMillis() + 30_000;
        while (f.get(name) != null && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void aChangedModelIsRefusedWhenPlanningAndTheRestartAnnotationRecomputes() throws Exception {
        f.apply(NAME, spec());
        f.awaitPhase(NAME, Phase.Succeeded);
        long firstWritten = lastModified(PREDICTION);
        delete(NAME);

        f.s3.put(MODEL, retrained());
        f.apply(NAME, spec());
        InferenceJob refused = f.awaitPhase(NAME, Phase.Failed);
        Condition failed = refused.getStatus().conditions().stream()
                .filter(c -> c.getType().equals("Failed") && c.getStatus().equals("True")).findFirst().orElseThrow();
        assertTrue(failed.getMessage().startsWith("spec.model.uri: the model changed since the predictions under "
                + "s3://out/retrained/predictions/ were written"), failed.getMessage());
        assertTrue(failed.getMessage().contains(InferenceJob.RESTART_ANNOTATION), failed.getMessage());
        f.awaitEvents(NAME, es -> es.stream().anyMatch(e -> "Warning".equals(e.getType())
                && failed.getMessage().equals(e.getMessage())), "Warning Event naming spec.model.uri");
        assertEquals(firstWritten, lastModified(PREDICTION), "nothing was computed");
        delete(NAME);

        InferenceJob again = new InferenceJob();
        again.setMetadata(new ObjectMetaBuilder().withName(NAME)
                .withNamespace(OperatorFixture.NAMESPACE).withAnnotations(Map.of(InferenceJob.RESTART_ANNOTATION, "true")).build());
        again.setSpec(spec());
        f.client().resource(again).create();
        InferenceJob done = f.awaitPhase(NAME, Phase.Succeeded);
        assertEquals(Integer.valueOf(OperatorFixture.PARTITIONS), done.getStatus().partitionsDone());
        assertTrue(done.getStatus().metrics().samplesPerSecond() > 0, "every partition recomputed: " + done.getStatus());
    }

    /** The example model with a zip comment: other bytes (another ETag), the same network. */
    static byte[] retrained() throws Exception {
        byte[] zip = Files.readAllBytes(S3Fixture.repoRoot().resolve("examples/models/astro-redshift.pt"));
        byte[] comment = "retrained".getBytes();
        byte[] out = Arrays.copyOf(zip, zip.length + comment.length);
        out[zip.length - 2] = (byte) comment.length;
        System.arraycopy(comment, 0, out, zip.length, comment.length);
        return out;
    }

    static long lastModified(String uri) {
        return f.s3.root().resolve(uri.substring("s3://".length())).toFile().lastModified();
    }
}
