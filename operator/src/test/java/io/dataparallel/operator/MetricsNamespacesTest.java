package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.harness.OperatorFixture;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 12: with two watched namespaces the operator's Role grants nothing cluster-wide,
 * so the metrics gauges must read InferenceJobs namespace by namespace (a cluster-wide list is
 * refused with 403 on a real cluster, and the gauges stay empty). The mock counts the requests.
 */
class MetricsNamespacesTest {
    @TempDir
    Path tmp;

    @Test
    void gaugesListOnlyTheWatchedNamespaces() throws Exception {
        try (OperatorFixture f = new OperatorFixture(tmp)) {
            f.cluster.createNamespace("other");
            OperatorConfig config = OperatorConfig.load(Map.of("DATAPARALLEL_WATCH_NAMESPACES", OperatorFixture.NAMESPACE + ",other"))
                    .withPollIntervalSeconds(1);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (DataparallelOperator operator = new DataparallelOperator(f.cluster.newClient(), config, registry,
                    new DataparallelOperator.Options(false, null, false))) {
                operator.start();
                f.apply("counted", f.spec("s3://out/counted/", 2));
                f.awaitPhase("counted", Phase.Succeeded);
                long deadline = System.nanoTime() + 10_000_000_000L;
                String scrape = registry.scrape();
                while (!scrape.contains("dataparallel_jobs{phase=\"Succeeded\"} 1.0") && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    scrape = registry.scrape();
                }
                assertTrue(scrape.contains("dataparallel_jobs{phase=\"Succeeded\"} 1.0"), scrape);
            }
            Map<String, Long> kinds = f.cluster.requestKinds();
            assertTrue(kinds.keySet().stream().noneMatch(k -> k.startsWith("GET /apis/dataparallel.io/v1alpha1/inferencejobs")),
                    () -> "a cluster-wide request for InferenceJobs: " + kinds);
            assertTrue(kinds.containsKey("GET /apis/dataparallel.io/v1alpha1/namespaces/*/inferencejobs"), kinds::toString);
        }
    }
}
