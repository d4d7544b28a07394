package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.resources.Children;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Suite items 6 and 7: the garbage collector and the TTL controller act on the operator's
 * children through their owner references and TTLs, and the operator takes it as it should.
 */
class OwnedChildrenE2eTest {
    @Test
    void deletingTheInferenceJobGarbageCollectsItsChildrenAndKeepsTheOutputs() {
        E2e.Ran ran = E2e.run("gc", "gc", 2, 100, 1);
        String ns = ran.namespace();
        InferenceJob done = ran.job();
        assertEquals(Phase.Succeeded, ran.phase(), () -> "status: " + done.getStatus());
        String label = Children.jobLabel(done);
        assertEquals(2, E2e.admin().batch().v1().jobs().inNamespace(ns).withLabel(Children.LABEL_JOB, label).list().getItems().size());

        E2e.kubectlOk(List.of("delete", "inferencejob", "gc", "-n", ns, "--wait=true"));
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
        E2e.Ran ran = E2e.run("ttl", "ttl", 2, 100, 2, "ttlSecondsAfterFinished: 0");
        String ns = ran.namespace();
        InferenceJob done = ran.job();
        assertEquals(Phase.Succeeded, ran.phase(), () -> "status: " + done.getStatus());
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
