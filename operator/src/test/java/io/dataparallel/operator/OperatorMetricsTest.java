package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.harness.OperatorFixture;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator takes a Lease before reconciling and exposes Prometheus metrics. */
class OperatorMetricsTest {
    @TempDir
    static Path tmp;
    static OperatorFixture f;
    static PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeAll
    static void start() throws Exception {
        f = new OperatorFixture(tmp);
        f.startOperator(registry, OperatorFixture.NAMESPACE);
        f.apply("metered", f.spec("s3://out/metered/", 2));
        f.awaitPhase("metered", Phase.Succeeded);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void theLeaderHoldsALease() {
        Lease lease = f.client().leases().inNamespace(OperatorFixture.NAMESPACE).withName("dataparallel-operator").get();
        assertNotNull(lease, "leader election Lease");
        assertNotNull(lease.getSpec().getHolderIdentity());
    }

    @Test
    void scrapeShowsJobsByPhaseAndReconcileMetrics() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String scrape = registry.scrape();
        while (!scrape.contains("dataparallel_jobs{phase=\"Succeeded\"} 1.0") && System.nanoTime() < deadline) {
            scrape = registry.scrape();
        }
        assertTrue(scrape.contains("dataparallel_jobs{phase=\"Succeeded\"} 1.0"), scrape);
        assertTrue(scrape.contains("dataparallel_partitions_done 6.0"), scrape);
        assertTrue(scrape.contains("dataparallel_samples_per_second"), scrape);
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith("operator_sdk_") || l.contains("reconciliations")), scrape);
    }
}
