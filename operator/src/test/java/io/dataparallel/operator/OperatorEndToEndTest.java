package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.status.JobMetrics;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.dataparallel.operator.harness.OperatorFixture;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl apply an InferenceJob, watch it go Pending → … → Succeeded with real workers. */
class OperatorEndToEndTest {
    @TempDir
    static Path tmp;
    static OperatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new OperatorFixture(tmp);
        f.startOperator();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void theExampleSucceedsWithMetricsFromTheSummary() throws Exception {
        long created = System.nanoTime();
        InferenceJob applied = f.apply("astro-e2e", f.spec("s3://out/e2e/", 3));
        Job workers = null;
        while (workers == null && System.nanoTime() - created < 30_000_000_000L) {
            workers = f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName("astro-e2e-workers").get();
            Thread.sleep(5);
        }
        double jobLatencyMs = (System.nanoTime() - created) / 1e6;
        assertNotNull(workers, "the worker Job was created");
        assertEquals("Indexed", workers.getSpec().getCompletionMode());
        assertEquals(3, workers.getSpec().getCompletions());
        assertEquals(3, workers.getSpec().getParallelism());
        assertEquals(1, workers.getSpec().getBackoffLimitPerIndex());
        assertEquals(applied.getMetadata().getUid(), workers.getMetadata().getOwnerReferences().get(0).getUid());

        InferenceJob done = f.awaitPhase("astro-e2e", Phase.Succeeded);
        var status = done.getStatus();
        Summary summary = Json.read(f.s3.require("s3://out/e2e/summary.json"), Summary.class);
        assertEquals(JobMetrics.of(summary), status.metrics());
        assertEquals(OperatorFixture.PARTITIONS * OperatorFixture.SAMPLES, status.metrics().samples());
        assertEquals(OperatorFixture.PARTITIONS + "/" + OperatorFixture.PARTITIONS, status.progress());
        assertEquals(3, status.workers());
        assertEquals(done.getMetadata().getGeneration(), status.observedGeneration());
        assertEquals("s3://out/e2e/", status.outputUri());
        assertNotNull(status.completionTime());
        assertTrue(status.conditions().stream().anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True")));
        assertEquals("regression", status.metrics().quality().task());
        // no prices in the default pool: the cost is pod- and CPU-seconds, workers and summarizer both counted
        var cost = status.metrics().cost();
        assertNull(cost.billed());
        assertEquals(List.of("worker", "summarizer"), cost.pods().stream().map(JobMetrics.PodCostMetrics::role).toList());
        assertEquals(3, cost.pods().get(0).pods());
        assertEquals(2.0, cost.pods().get(0).cpus(), "the default worker resources' CPU request");
        assertTrue(cost.pods().get(0).seconds() > 0 && cost.cpuSeconds() > 0, cost.toString());
        assertEquals(summary.cost().pods().size(), 2, "summary.json got the operator's completed cost");
        for (int i = 0; i < OperatorFixture.PARTITIONS; i++) {
            assertTrue(f.s3.get(String.format("s3://out/e2e/predictions/partition-%05d.npz", i)).isPresent());
        }
        List<String> expected = List.of("Planned", "WorkersStarted", "WorkersFinished", "Summarizing", "Succeeded");
        f.awaitEvents("astro-e2e", es -> es.stream().map(Event::getReason).toList().containsAll(expected), "event of " + expected);
        int passes = f.passes.of(done.getMetadata().getUid());
        System.out.printf("figures: CR created -> worker Job created %.0f ms; %d reconcile passes for the job%n", jobLatencyMs, passes);
        assertTrue(passes > 0, "JOSDK told the fixture's counter of the job's reconcile passes");
        assertEquals(1, f.client().configMaps().inNamespace(OperatorFixture.NAMESPACE).withLabel(Children.LABEL_JOB, "astro-e2e")
                .list().getItems().size());
    }
}
