package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.harness.OperatorFixture;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator takes a Lease before reconciling and exposes Prometheus metrics: by phase, per job, jobs ended. */
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
        String scrape = awaitScrape("dataparallel_jobs{phase=\"Succeeded\"} 1.0");
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith("operator_sdk_") || l.contains("reconciliations")), scrape);
    }

    @Test
    void eachJobHasItsPartitionsAndTheEndedCounterCountsIt() {
        String job = "{inferencejob=\"metered\",namespace=\"" + OperatorFixture.NAMESPACE + "\"}";
        String scrape = awaitScrape("dataparallel_partitions" + job);
        assertTrue(ended(Phase.Succeeded) >= 1, scrape);
        assertTrue(scrape.contains("dataparallel_partitions" + job + " 6.0"), scrape);
        assertTrue(scrape.contains("dataparallel_partitions_done" + job + " 6.0"), scrape);
        assertTrue(scrape.contains("dataparallel_partitions_failed" + job + " 0.0"), scrape);
        assertTrue(scrape.contains("dataparallel_samples_per_second" + job + " 0.0"), "0 once the job ended: " + scrape);
        assertTrue(scrape.contains("dataparallel_jobs_ended_total{phase=\"Failed\"} 0.0"), scrape);
    }

    @Test
    void everyMetricHasAHelpText() {
        String scrape = awaitScrape("dataparallel_jobs_ended_total{phase=\"Succeeded\"}");
        List<String> bare = scrape.lines().filter(l -> l.startsWith("# HELP ") && l.split(" ", 4).length < 4).toList();
        assertEquals(List.of(), bare, "HELP lines with no text");
    }

    @Test
    void aJobThatEndsCountsOnceAndDeletedTakesItsSeriesWithIt() throws InterruptedException {
        awaitScrape("dataparallel_jobs{phase=\"Succeeded\"} 1.0");
        double before = ended(Phase.Succeeded);
        f.apply("fleeting", f.spec("s3://out/fleeting/", 1));
        f.awaitPhase("fleeting", Phase.Succeeded);
        String series = "dataparallel_partitions_done{inferencejob=\"fleeting\"";
        awaitScrape(series);
        long until = System.nanoTime() + 10_000_000_000L;
        while (ended(Phase.Succeeded) < before + 1 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        Thread.sleep(1_000); // a second count would come with the status updates that follow the end
        assertEquals(before + 1, ended(Phase.Succeeded), registry::scrape);
        f.client().resources(InferenceJob.class).inNamespace(OperatorFixture.NAMESPACE).withName("fleeting").delete();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (registry.scrape().contains(series) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        String scrape = registry.scrape();
        assertFalse(scrape.contains(series), scrape);
        assertTrue(scrape.contains("dataparallel_partitions_done{inferencejob=\"metered\""), "the other job's series stay: " + scrape);
    }

    private static double ended(Phase phase) {
        return registry.get("dataparallel_jobs_ended").tag("phase", phase.name()).counter().count();
    }

    private static String awaitScrape(String expected) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        String scrape = registry.scrape();
        while (!scrape.contains(expected) && System.nanoTime() < deadline) {
            scrape = registry.scrape();
        }
        assertTrue(scrape.contains(expected), () -> expected + " in " + registry.scrape());
        return scrape;
    }
}
