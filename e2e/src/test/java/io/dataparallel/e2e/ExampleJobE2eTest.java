package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Suite item 1: an InferenceJob applied with kubectl runs to the end on the real control plane. */
class ExampleJobE2eTest {
    private static final List<Phase> LIFECYCLE = List.of(Phase.Pending, Phase.Planning, Phase.Running, Phase.Summarizing,
            Phase.Succeeded);

    @Test
    void appliedWithKubectlItRunsToSucceededWithTheLocalModesPredictions() throws Exception {
        String ns = E2e.namespace("example");
        E2e.exampleData("e2e", ns, 4, 600);
        String manifest = E2e.manifest(ns, "astro", "e2e", ns, 2);
        List<Phase> seen = new ArrayList<>();
        try (Watch ignored = E2e.admin().resources(InferenceJob.class).inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, InferenceJob job) {
                Phase p = E2e.phase(job);
                synchronized (seen) {
                    if (p != null && (seen.isEmpty() || seen.get(seen.size() - 1) != p)) {
                        seen.add(p);
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            E2e.apply(manifest);
            InferenceJob done = E2e.awaitFinal(ns, "astro", Duration.ofMinutes(5));
            assertEquals(Phase.Succeeded, done.getStatus().phase(), () -> "status: " + done.getStatus());
            assertEquals("4/4", done.getStatus().progress());
            assertEquals(2400L, done.getStatus().metrics().samples());
        }
        // the phases the watch saw are the lifecycle's, in its order, through Running and Summarizing
        List<Phase> phases;
        synchronized (seen) {
            phases = List.copyOf(seen);
        }
        int at = -1;
        for (Phase p : phases) {
            int i = LIFECYCLE.indexOf(p);
            assertTrue(i > at, () -> "phases out of order: " + phases);
            at = i;
        }
        assertTrue(phases.containsAll(List.of(Phase.Running, Phase.Summarizing, Phase.Succeeded)), () -> "phases seen: " + phases);

        // the real Job controller, not the test, marked every index complete
        InferenceJob job = E2e.get(ns, "astro");
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ns).withName(job.getStatus().workerJob()).get();
        assertEquals(Set.of(0, 1), indexes(workers.getStatus().getCompletedIndexes()));
        assertEquals(2, workers.getStatus().getSucceeded());

        // issue 10 items 15 and 18: threads follow the CPU request (1 in the e2e values), not the
        // node's 32 cores; /tmp is bounded and requested from the largest partition
        RankResult rank0 = Json.read(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + ns + "/out/astro/ranks/0.json"), "out"),
                RankResult.class);
        assertEquals(1, rank0.threads());
        var pod = workers.getSpec().getTemplate().getSpec();
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getEmptyDir() != null && v.getEmptyDir().getSizeLimit() != null));
        assertTrue(pod.getContainers().get(0).getResources().getRequests().containsKey("ephemeral-storage"));
        for (var p : E2e.admin().pods().inNamespace(ns).list().getItems()) {
            assertEquals(E2e.cluster().jobNode(), p.getSpec().getNodeName());
        }
        // issue 10 item 13: in all-namespaces mode the operator made the worker account here, with the chart's annotations
        var account = E2e.admin().serviceAccounts().inNamespace(ns).withName(pod.getServiceAccountName()).get();
        assertEquals(Cluster.WORKER_ACCOUNT_ROLE, account.getMetadata().getAnnotations().get(Cluster.WORKER_ACCOUNT_ANNOTATION));
        assertEquals(false, account.getAutomountServiceAccountToken());

        // kubectl get ij: the printer columns, from the real server's table conversion
        String table = E2e.kubectlOk(List.of("get", "inferencejobs", "-n", ns));
        String header = table.lines().findFirst().orElse("");
        for (String column : List.of("NAME", "PHASE", "PROGRESS", "WORKERS", "SAMPLES/S", "AGE")) {
            assertTrue(header.contains(column), () -> "no " + column + " column in:\n" + table);
        }
        String row = table.lines().skip(1).findFirst().orElse("");
        assertTrue(row.matches("astro\\s+Succeeded\\s+4/4\\s+2\\s+[0-9.]+\\s+\\S+\\s*"), () -> "row: " + row);
        String shortName = E2e.kubectlOk(List.of("get", "ij", "-n", ns));
        assertEquals(header, shortName.lines().findFirst().orElse(""), "the short name ij");
        assertTrue(shortName.lines().skip(1).findFirst().orElse("").startsWith("astro   Succeeded"), shortName);

        // the same manifest in local mode gives the same predictions
        Path local = LocalMode.run("e2e", ns, manifest);
        String predictions = "e2e/" + ns + "/out/astro/predictions";
        int files = LocalMode.assertSamePredictions(E2e.STATE.resolve("store").resolve(predictions), local.resolve(predictions));
        assertEquals(4, files);
    }

    static Set<Integer> indexes(String ranges) {
        Set<Integer> out = new TreeSet<>();
        if (ranges == null || ranges.isEmpty()) {
            return out;
        }
        for (String part : ranges.split(",")) {
            String[] ends = part.split("-");
            for (int i = Integer.parseInt(ends[0]); i <= Integer.parseInt(ends[ends.length - 1]); i++) {
                out.add(i);
            }
        }
        return out;
    }
}
