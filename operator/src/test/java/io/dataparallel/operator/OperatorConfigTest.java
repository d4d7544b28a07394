package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                  a100: {nodeSelector: {gpu: a100}, tolerations: [], gpu: true}
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
        assertEquals("4", c.defaultWorkerResources().getRequests().get("cpu").toString());
        assertEquals(9090, c.metricsPort());
        assertEquals(false, c.leaderElection().enabled());
        assertEquals("dataparallel-worker", c.workerServiceAccount(), "defaults fill what the file leaves out");
    }

    @Test
    void unknownKeysAreRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("bad.yaml"), "workerImag: typo\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> OperatorConfig.load(Map.of("DATAPARALLEL_CONFIG", file.toString())));
        assertTrue(e.getMessage().contains("workerImag"), e.getMessage());
    }
}
