package io.dataparallel.operator.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dataparallel.api.result.Cost;
import io.dataparallel.core.sizing.Prices;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Billed cost = requests × pod wall time × price, by role. */
class JobCostsTest {
    private static final Prices PRICES = new Prices(0.036, 0.0045, 0);
    private static final Cost USED = new Cost(3600, 5400, 0, null, null); // 4 workers, one pod-hour in all

    @Test
    void workersSummarizerAndProfilingAreBilledFromTheirRequests() {
        Job summarizer = job("500m", "1Gi", "2026-12-02T07:00:00Z", "2026-12-02T07:00:30Z");
        Job profiling = job("2", "4Gi", "2026-12-02T06:50:00Z", "2026-12-02T06:52:00Z");
        Cost c = JobCosts.billed(USED, 4, new JobCosts.Requests(2, 4, 0),
                Map.of(JobCosts.SUMMARIZER, summarizer, JobCosts.PROFILING, profiling), PRICES);
        double worker = 3600 * (2 * 0.036 + 4 * 0.0045) / 3600; // 0.09
        double summary = 30 * (0.5 * 0.036 + 1 * 0.0045) / 3600;
        double profile = 120 * (2 * 0.036 + 4 * 0.0045) / 3600;
        assertEquals(List.of("worker", "profiling", "summarizer"), c.pods().stream().map(Cost.PodCost::role).toList());
        assertEquals(worker, c.pods().get(0).billed(), 1e-12);
        assertEquals(4, c.pods().get(0).pods());
        assertEquals(profile, c.pods().get(1).billed(), 1e-12);
        assertEquals(summary, c.pods().get(2).billed(), 1e-12);
        assertEquals(worker + summary + profile, c.billed(), 1e-12);
        assertEquals(3600 + 30 + 120, c.podSeconds(), 1e-9);
        assertEquals(5400, c.cpuSeconds(), "CPU-seconds used are the workers', as summarized");
    }

    @Test
    void withoutPricesOnlySecondsAreReported() {
        Job summarizer = job("500m", "1Gi", "2026-12-02T07:00:00Z", "2026-12-02T07:00:10Z");
        Cost c = JobCosts.billed(USED, 4, new JobCosts.Requests(2, 4, 0), Map.of(JobCosts.SUMMARIZER, summarizer),
                Prices.UNKNOWN);
        assertNull(c.billed());
        assertNull(c.pods().get(0).billed());
        assertEquals(3610, c.podSeconds(), 1e-9);
        assertEquals(2, c.pods().size(), "no profiling Job, no profiling cost");
    }

    @Test
    void aJobStillRunningAddsNothing() {
        Job running = job("1", "1Gi", "2026-12-02T07:00:00Z", null);
        Cost c = JobCosts.billed(USED, 4, new JobCosts.Requests(1, 1, 0), Map.of(JobCosts.SUMMARIZER, running), PRICES);
        assertEquals(1, c.pods().size());
    }

    @Test
    void aLimitStandsInForAMissingRequest() {
        JobCosts.Requests r = JobCosts.Requests.of(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("1500m"))
                .addToLimits("memory", new Quantity("512Mi")).addToLimits("nvidia.com/gpu", new Quantity("1")).build());
        assertEquals(new JobCosts.Requests(1.5, 0.5, 1), r);
    }

    private static Job job(String cpu, String memory, String start, String end) {
        return new JobBuilder().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("c")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                .endResources().endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withStartTime(start).withCompletionTime(end).endStatus().build();
    }
}
