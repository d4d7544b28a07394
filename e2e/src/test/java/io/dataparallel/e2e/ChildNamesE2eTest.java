package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.resources.Children;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 items 2 and 3: a name with a dot and a name far past 51 characters both get worker
 * pods (a Job's pod hostname is {@code <job name>-<index>}, a DNS label) and a job label the
 * API server accepts, and both run to the end.
 */
class ChildNamesE2eTest {
    @Test
    void dottedAndLongNamesRunToSucceeded() {
        String ns = E2e.namespace("names");
        E2e.exampleData("e2e", ns, 2, 200);
        String dotted = "astro.v2";
        String longName = "a-very-long-inferencejob-name-that-is-past-the-pod-hostname-limit.of.sixty-three";
        E2e.apply(E2e.manifest(ns, dotted, "e2e", ns, 2) + "---\n" + E2e.manifest(ns, longName, "e2e", ns, 2));
        for (String name : List.of(dotted, longName)) {
            InferenceJob done = E2e.awaitFinal(ns, name, Duration.ofMinutes(5));
            assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> name + ": " + done.getStatus());
            assertEquals("2/2", done.getStatus().progress());
            // selecting by the job label finds exactly this job's Jobs and plan ConfigMap
            String label = Children.jobLabel(done);
            assertEquals(2, E2e.admin().batch().v1().jobs().inNamespace(ns).withLabel(Children.LABEL_JOB, label).list()
                    .getItems().size(), name);
            assertEquals(1, E2e.admin().configMaps().inNamespace(ns).withLabel(Children.LABEL_JOB, label).list()
                    .getItems().size(), name);
        }
    }
}
