package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Sizing;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 on the real control plane: a manifest with {@code spec.deadline} and no {@code workers}
 * gets a profiling Job (the real worker's profile command, run by the Job controller on the CPU
 * pool), a sizing in status, and runs with the workers and CPU the sizing chose; {@code kubectl
 * describe ij} explains the choice.
 */
class SizingE2eTest {
    @Test
    void aDeadlineIsProfiledSizedAndRunWithTheChosenWorkers() throws Exception {
        String ns = E2e.namespace("sizing");
        E2e.exampleData("e2e", ns, 4, 600);
        // no spec.workers: the operator chooses them (and CPU per worker); spec.batchSize stays fixed at 256
        String manifest = E2e.manifest(ns, "sized", "e2e", ns, 1, "deadline: 10m").replace("  workers: 1\n", "");
        assertTrue(!manifest.contains("workers:"), manifest);
        E2e.apply(manifest);
        InferenceJob done = E2e.awaitFinal(ns, "sized", Duration.ofMinutes(8));
        assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus() + "\npods:\n" + E2e.pods(ns));
        Sizing sizing = done.getStatus().sizing();
        assertNotNull(sizing, () -> "status: " + done.getStatus());

        // the profiling Job: one pod of the worker image running `profile`, finished by the real Job controller
        Job profiling = E2e.admin().batch().v1().jobs().inNamespace(ns).withName("sized-profile").get();
        assertNotNull(profiling, "a profiling Job");
        assertEquals(List.of("profile"), profiling.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertEquals(1, profiling.getStatus().getSucceeded());
        assertTrue(E2e.store().head(io.dataparallel.api.spec.S3Uri.parse("out", "s3://e2e/" + ns + "/out/sized/profile.json"), "out")
                .isPresent(), "profile.json under the output prefix");

        // the workers ran with the choice
        Sizing.Option chosen = sizing.chosen();
        assertEquals(256, chosen.batchSize(), "spec.batchSize was fixed");
        assertEquals(chosen.workers(), done.getStatus().workers());
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(done.getStatus().workerJob()).get();
        assertEquals(chosen.workers(), workers.getSpec().getCompletions());
        assertEquals(chosen.cpu(), workers.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
                .getRequests().get("cpu").toString());
        assertEquals("4/4", done.getStatus().progress());
        // predicted beside actual
        assertTrue(chosen.predictedSeconds() > 0 && chosen.predictedSeconds() <= 600, chosen.toString());
        assertNotNull(sizing.actualSeconds());
        assertNotNull(sizing.secondsRatio());
        assertNotNull(done.getStatus().metrics().cost(), "cost reported");

        // kubectl describe explains the choice
        String describe = E2e.kubectlOk(List.of("describe", "ij", "sized", "-n", ns));
        for (String part : List.of("Sizing:", "Chosen:", "Runners Up:", "Predicted Seconds:", "Seconds Ratio:", "Profiling", "Sized")) {
            assertTrue(describe.contains(part), () -> "no '" + part + "' in:\n" + describe);
        }
        // kubectl get ij -o wide: the deadline and the predicted seconds beside the usual columns
        String wide = E2e.kubectlOk(List.of("get", "ij", "sized", "-n", ns, "-o", "wide"));
        assertTrue(wide.lines().findFirst().orElse("").contains("DEADLINE") && wide.contains("10m"), wide);
        assertTrue(wide.lines().findFirst().orElse("").contains("PREDICTED-S"), wide);
        Path out = Path.of("target", "sizing-describe.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "$ kubectl get ij sized -o wide\n" + wide + "\n$ kubectl describe ij sized\n" + describe);
        System.out.println("kubectl get ij -o wide:\n" + wide + "\nkubectl describe ij sized:\n" + describe);
    }
}
