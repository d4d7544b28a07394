package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's default worker memory holds the example model and the benchmark models, measured where the kernel
 * counts it: each worker runs in the shipped image on the real node with the chart's {@code worker.defaultResources}
 * memory request and limit, and its container's cgroup is sampled while it runs. The figures go to
 * {@code e2e/target/worker-memory.txt} (the README quotes them).
 */
class WorkerMemoryE2eTest {
    private static final Path VALUES = E2e.REPO.resolve("charts/dataparallel/values.yaml");

    @BeforeAll
    static void realNode() throws Exception {
        String why = Cluster.realNodeUnavailable();
        Assumptions.assumeTrue(why == null, () -> "no real node here: " + why);
        E2e.cluster().realNode();
    }

    @Test
    void theChartsDefaultMemoryHoldsTheExampleAndTheBenchmarkModels() throws Exception {
        Map<String, String> memory = chartMemory();
        long request = new Quantity(memory.get("requests")).getNumericalAmount().longValue();
        long limit = new Quantity(memory.get("limits")).getNumericalAmount().longValue();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "worker memory on the real node (cgroup v1), chart defaults: request %s, limit %s;"
                + " 4 partitions of 1024 CAI samples, batchSize 256, 2 intra-op threads", memory.get("requests"), memory.get("limits")));
        for (Path model : List.of(E2e.EXAMPLE_MODEL, E2e.REPO.resolve("bench/models/astro-resnet.pt"),
                E2e.REPO.resolve("bench/models/astro-vit.pt"))) {
            String ns = E2e.namespace("memory");
            E2e.exampleData("e2e", ns, 4, 1024, model);
            // CPU within the real node's 2 cores (1.5 rounds up to the chart default's 2 threads); memory as the chart has it
            String resources = "resources: {requests: {cpu: 1500m, memory: %s}, limits: {memory: %s}}"
                    .formatted(memory.get("requests"), memory.get("limits"));
            PeakMemory.Peak peak;
            try (PeakMemory sampler = new PeakMemory(ns)) {
                E2e.apply(E2e.manifest(ns, "memory", "e2e", ns, 1, "nodePool: " + Cluster.REAL_POOL, resources));
                InferenceJob done = Invariants.of(ns, "memory").expect(Phase.Succeeded).within(Duration.ofMinutes(6)).check().job();
                assertEquals("4/4", done.getStatus().progress());
                String worker = done.getStatus().workerJob() + "-";
                List<PeakMemory.Peak> workers = sampler.peaks().entrySet().stream().filter(e -> e.getKey().startsWith(worker))
                        .map(Map.Entry::getValue).toList();
                assertFalse(workers.isEmpty(), () -> "the worker's cgroup was sampled: " + sampler.peaks());
                peak = workers.get(0);
            }
            String name = model.getFileName().toString();
            lines.add(String.format(Locale.ROOT, "%-20s peak %5d MiB (high-water mark, page cache included), resident %5d MiB",
                    name, peak.maxUsage() >> 20, peak.rss() >> 20));
            assertTrue(peak.maxUsage() < limit, () -> name + " reached its limit: " + peak);
            assertTrue(peak.rss() < request, () -> name + "'s resident memory is past the chart's request: " + peak);
        }
        lines.forEach(System.out::println);
        Files.write(E2e.REPO.resolve("e2e/target/worker-memory.txt"), lines);
    }

    /** The chart's {@code worker.defaultResources} memory: {@code requests} and {@code limits}. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> chartMemory() throws Exception {
        Map<String, Object> values = Serialization.unmarshal(Files.readString(VALUES), Map.class);
        Map<String, Object> resources = (Map<String, Object>) ((Map<String, Object>) values.get("worker")).get("defaultResources");
        return Map.of("requests", ((Map<String, Object>) resources.get("requests")).get("memory").toString(),
                "limits", ((Map<String, Object>) resources.get("limits")).get("memory").toString());
    }
}
