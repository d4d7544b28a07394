package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.harness.OperatorFixture;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liveness answer while the operator starts: alive, though not ready. On a starved node the
 * e2e burst of 200 jobs saw the restarted operator killed by its liveness probe again and again
 * before its informers had synced; a start is bounded by JOSDK's cache-sync timeout instead.
 */
class HealthProbeTest {
    @TempDir
    Path tmp;

    @Test
    void aStartingOperatorIsAliveButNotReadyAndAStartedOneIsBoth() throws Exception {
        try (OperatorFixture f = new OperatorFixture(tmp)) {
            OperatorConfig config = OperatorConfig.load(Map.of()).withPollIntervalSeconds(1);
            try (DataparallelOperator operator = new DataparallelOperator(f.cluster.newClient(), config,
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new DataparallelOperator.Options(false, null, false))) {
                assertTrue(operator.isHealthy(), "alive before its start has finished");
                assertFalse(operator.isReady(), "not ready before it started");
                operator.start();
                assertTrue(operator.isHealthy());
                assertTrue(operator.isReady());
            }
        }
    }
}
