package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.resources.Children;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Suite items 6 and 7: the garbage collector and the TTL controller act on the operator's
 * children through their owner references and TTLs, and the operator takes it as it should.
 */
class OwnedChildrenE2eTest {
    @Test
    void deletingTheInferenceJobGarbageCollectsItsChildrenAndKeepsTheOutputs() {
        String ns = E2e.namespace("gc");
        E2e.exampleData("e2e", ns, 2, 100);
        E2e.apply(E2e.manifest(ns, "gc", "e2e", ns, 1));
        InferenceJob done = E2e.awaitFinal(ns, "gc", Duration.ofMinutes(4));
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
        String label = Children.jobLabel(done);
        assertEquals(2, E2e.admin().batch().v1().jobs().inNamespace(ns).withLabel(Children.LABEL_JOB, label).list().getItems().size());

        E2e.kubectlOk(java.util.List.of("delete", "inferencejob", "gc", "-n", ns, "--wait=true"));
        Cluster.awaitQuietly("the garbage collector to remove the Jobs, their pods and the plan ConfigMap", 90, () ->
                E2e.admin().batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty()
                        && E2e.admin().configMaps().inNamespace(ns).withLabel(Children.LABEL_JOB, label).list().getItems().isEmpty()
                        && E2e.admin().pods().inNamespace(ns).list().getItems().isEmpty());
        assertTrue(E2e.store().head(S3Uri.parse("out", "s3://e2e/" + ns + "/out/gc/summary.json"), "out").isPresent(),
                "outputs stay");
        assertTrue(E2e.store().head(S3Uri.parse("out", "s3://e2e/" + ns + "/out/gc/predictions/partition-00000.npz"), "out")
                .isPresent(), "predictions stay");
    }

    @Test
    void jobsRemovedByTheTtlControllerAreNotCreatedAgain() {
        String ns = E2e.namespace("ttl");
        E2e.exampleData("e2e", ns, 2, 100);
        E2e.apply(E2e.manifest(ns, "ttl", "e2e", ns, 2, "ttlSecondsAfterFinished: 0"));
        InferenceJob done = E2e.awaitFinal(ns, "ttl", Duration.ofMinutes(4));
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
        Cluster.awaitQuietly("the TTL controller to remove the finished Jobs", 60, () ->
                E2e.admin().batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
        // the operator polls every 2 s here: several passes, and not one new Job
        for (int i = 0; i < 20; i++) {
            assertEquals(0, E2e.admin().batch().v1().jobs().inNamespace(ns).list().getItems().size(),
                    "a Job the TTL controller removed was created again");
            E2e.sleep(500);
        }
        InferenceJob after = E2e.get(ns, "ttl");
        assertEquals(Phase.Succeeded, after.getStatus().phase());
        assertEquals(done.getStatus().metrics(), after.getStatus().metrics(), "the figures are kept");
    }
}
