package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 4: kube-apiserver restarted while workers run (etcd kept, same port and
 * certificates). The operator's informers and the controllers reconnect on their own: the running
 * job finishes with no second child and one prediction per partition, and a job created after the
 * restart is seen (a watch that did not recover would never deliver it).
 */
class ApiServerRestartE2eTest {
    @Test
    void aJobRunningWhileTheApiServerRestartsFinishesWithNoDuplicateChildAndNewJobsAreSeen() throws Exception {
        String ns = E2e.namespace("apirestart");
        E2e.exampleData("e2e", ns, 6, 1000);
        E2e.apply(E2e.manifest(ns, "through", "e2e", ns, 2));
        Cluster.awaitQuietly("both workers to run", 240, () -> E2e.admin().pods().inNamespace(ns)
                .withLabel("dataparallel.io/role", "worker").list().getItems().stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase())).count() == 2);

        Map<String, String> written = Invariants.predictions("s3://e2e/" + ns + "/out/through/");
        E2e.cluster().restartApiServer(3000);
        E2e.apply(E2e.manifest(ns, "after", "e2e", ns, 1));

        InferenceJob through = Invariants.of(ns, "through").fault("kube-apiserver restarted mid-run").keeping(written)
                .expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check().job();
        assertEquals("6/6", through.getStatus().progress());
        Invariants.of(ns, "after").fault("created right after a kube-apiserver restart").expect(Phase.Succeeded)
                .within(Duration.ofMinutes(5)).check();
        assertEquals(2, E2e.workerJobs(ns), "one worker Job per InferenceJob");
        assertEquals(4, E2e.admin().batch().v1().jobs().inNamespace(ns).list().getItems().size(),
                "one worker and one summarizer Job per InferenceJob");
        assertEquals(2, E2e.admin().configMaps().inNamespace(ns).withLabel("dataparallel.io/role", "plan").list().getItems().size());
        assertEquals(2, E2e.admin().pods().inNamespace(ns).withLabel("batch.kubernetes.io/job-name", through.getStatus().workerJob())
                .list().getItems().size(), "each worker of the running job ran once: the restart cost no worker");
        E2e.assertOnePredictionPerPartition(ns, "through");
        E2e.assertOnePredictionPerPartition(ns, "after");
    }
}
