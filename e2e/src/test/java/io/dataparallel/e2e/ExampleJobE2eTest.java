package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
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

        // kubectl get ij: the printer columns, from the real server's table conversion
        String table = E2e.kubectlOk(List.of("get", "inferencejobs", "-n", ns));
        String header = table.lines().findFirst().orElse("");
        for (String column : List.of("NAME", "PHASE", "PROGRESS", "WORKERS", "SAMPLES/S", "AGE")) {
            assertTrue(header.contains(column), () -> "no " + column + " column in:\n" + table);
        }
        String row = table.lines().skip(1).findFirst().orElse("");
        assertTrue(row.matches("astro\\s+Succeeded\\s+4/4\\s+2\\s+[0-9.]+\\s+\\S+\\s*"), () -> "row: " + row);
        assertEquals(table, E2e.kubectlOk(List.of("get", "ij", "-n", ns)), "the short name ij");

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
