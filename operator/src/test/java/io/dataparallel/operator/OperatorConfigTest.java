package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.sizing.Prices;
import io.dataparallel.operator.config.NodePool;
import io.dataparallel.operator.config.OperatorConfig;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator reads the file the chart mounts, then DATAPARALLEL_* variables over it. */
class OperatorConfigTest {
    @TempDir
    Path tmp;

    @Test
    void fileThenEnvironment() throws Exception {
        Path file = Files.writeString(tmp.resolve("operator.yaml"), """
                watchNamespaces: [team-a]
                workerImage: registry.local/worker:1
                maxWorkers: 64
                pollIntervalSeconds: 3
                defaultNodePool: spot
                nodePools:
                  spot: {nodeSelector: {pool: spot}, tolerations: [{key: spot, operator: Exists}], gpu: false}
                  a100: {nodeSelector: {gpu: a100}, tolerations: [], gpu: true,
                         prices: {cpuHour: 0.03, gibHour: 0.004, gpuHour: 1.29},
                         workerSizes: [{cpu: 1, memory: 3Gi}, {cpu: "500m", memory: 512Mi}]}
                defaultWorkerResources: {requests: {cpu: "4"}}
                metricsPort: 9090
                leaderElection: {enabled: false, leaseName: x}
                """);
        OperatorConfig c = OperatorConfig.load(Map.of("DATAPARALLEL_CONFIG", file.toString(),
                "DATAPARALLEL_WATCH_NAMESPACES", "team-a, team-b", "DATAPARALLEL_POLL_INTERVAL_SECONDS", "5"));
        assertEquals(List.of("team-a", "team-b"), c.watchNamespaces());
        assertEquals("registry.local/worker:1", c.workerImage());
        assertEquals(64, c.maxWorkers());
        assertEquals(5, c.pollIntervalSeconds());
        assertEquals("spot", c.defaultNodePool());
        assertEquals(Map.of("pool", "spot"), c.nodePools().get("spot").nodeSelector());
        assertTrue(c.nodePools().get("a100").gpu());
        NodePool a100 = c.nodePools().get("a100");
        assertEquals(new Prices(0.03, 0.004, 1.29), a100.prices());
        assertEquals(List.of(new NodePool.WorkerSize("1", "3Gi"), new NodePool.WorkerSize("500m", "512Mi")), a100.workerSizes());
        assertEquals(0.5, a100.workerSizes().get(1).cpus(), 1e-9);
        assertEquals(0.5, a100.workerSizes().get(1).memoryGiB(), 1e-9);
        assertEquals(Prices.UNKNOWN, c.nodePools().get("spot").prices(), "prices default to 0: unknown");
        assertTrue(c.nodePools().get("spot").workerSizes().isEmpty());
        assertEquals("4", c.defaultWorkerResources().getRequests().get("cpu").toString());
        assertEquals(9090, c.metricsPort());
        assertEquals(false, c.leaderElection().enabled());
        assertEquals("dataparallel-worker", c.workerServiceAccount(), "defaults fill what the file leaves out");
    }

    @Test
    void negativePricesAreRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("neg.yaml"), "nodePools: {p: {prices: {cpuHour: -1}}}\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> OperatorConfig.load(Map.of("DATAPARALLEL_CONFIG", file.toString())));
        assertTrue(e.getMessage().contains("prices must be 0 (unknown) or positive"), e.getMessage());
    }

    @Test
    void unknownKeysAreRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("bad.yaml"), "workerImag: typo\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> OperatorConfig.load(Map.of("DATAPARALLEL_CONFIG", file.toString())));
        assertTrue(e.getMessage().contains("workerImag"), e.getMessage());
    }
}
