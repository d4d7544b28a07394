package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Sizing;
import io.dataparallel.core.sizing.Prices;
import io.dataparallel.operator.config.NodePool;
import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.harness.OperatorFixture;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.deadline and spec.budget against the Fabric8 mock, with the real worker (profile command
 * included) run in-process by the fake Job controller, on a pool with prices and two worker sizes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorSizingTest {
    private static final Prices PRICES = new Prices(0.04, 0.005, 0);
    @TempDir
    static Path tmp;
    static OperatorFixture f;

    @BeforeAll
    static void start() throws Exception {
        OperatorConfig priced = OperatorConfig.defaults().with(c -> c.pollIntervalSeconds(1)
                .nodePools(Map.of(OperatorConfig.DEFAULT_POOL, new NodePool(Map.of(), List.of(), false, PRICES,
                        List.of(new NodePool.WorkerSize("1", "2Gi"), new NodePool.WorkerSize("2", "3Gi"))),
                        "unpriced", new NodePool(Map.of(), List.of(), false))));
        f = new OperatorFixture(tmp, priced);
        f.startOperator();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    @Order(1)
    void aDeadlineIsProfiledSizedAndRunWithTheChoice() {
        InferenceJob applied = f.apply("sized", f.spec("s3://out/sized/", null).withDeadline("10m"));
        InferenceJob done = f.awaitPhase("sized", Phase.Succeeded);
        var status = done.getStatus();
        Sizing sizing = status.sizing();
        assertNotNull(sizing, () -> "status: " + status);
        // the profiling Job ran the worker's profile command on the job's pool, and its profile was used
        Job profiling = f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName("sized-profile").get();
        assertNotNull(profiling, "a profiling Job");
        assertEquals(List.of("profile"), profiling.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertEquals(applied.getMetadata().getUid(), profiling.getMetadata().getOwnerReferences().get(0).getUid());
        assertTrue(f.s3.get("s3://out/sized/profile.json").isPresent(), "profile.json under the output prefix");
        assertEquals("s3://out/sized/profile.json", sizing.profile());
        assertEquals(false, sizing.profileReused());
        // the choice: fixed batch kept, the cheapest worker count that meets a roomy deadline, a size of the pool
        Sizing.Option chosen = sizing.chosen();
        assertEquals(8, chosen.batchSize(), "spec.batchSize was fixed");
        assertEquals(List.of("spec.batchSize"), sizing.fixed());
        assertTrue(List.of("1", "2").contains(chosen.cpu()), chosen.toString());
        assertTrue(chosen.predictedSeconds() > 0 && chosen.predictedSeconds() <= 600, chosen.toString());
        assertNotNull(chosen.predictedCost(), "prices are known");
        assertEquals(List.of("cheapest", "fastest"), sizing.runnersUp().stream().map(Sizing.Option::label).toList());
        assertTrue(sizing.fit().get("startupSeconds") >= 0 && sizing.fit().get("downloadMBPerSecond") > 0, sizing.fit().toString());
        // the workers ran with it
        assertEquals(chosen.workers(), status.workers());
        Job workers = f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName("sized-workers").get();
        assertEquals(chosen.workers(), workers.getSpec().getCompletions());
        assertEquals(chosen.cpu(), workers.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
                .getRequests().get("cpu").toString());
        // after the run: actual beside predicted, and the cost counts the profiling pod
        assertNotNull(sizing.actualSeconds());
        assertNotNull(sizing.secondsRatio());
        assertNotNull(sizing.actualCost());
        assertNotNull(sizing.costRatio());
        var cost = status.metrics().cost();
        assertEquals(List.of("worker", "profiling", "summarizer"), cost.pods().stream().map(p -> p.role()).toList());
        assertTrue(cost.billed() > 0, cost.toString());
        String report = new String(f.s3.require("s3://out/sized/report.html"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(report.contains("<th>billed cost</th>") && report.contains("<th>cost of profiling pods</th>"),
                "the report has the billed cost the operator added after the summarizer's pod ended");
        List<String> reasons = List.of("Profiling", "Sized", "Planned", "Succeeded");
        f.awaitEvents("sized", es -> es.stream().map(Event::getReason).toList().containsAll(reasons), "events " + reasons);
    }

    @Test
    @Order(2)
    void theSameModelPoolAndDataReuseTheProfile() {
        f.apply("sized-again", f.spec("s3://out/sized-again/", null).withDeadline("15m"));
        InferenceJob done = f.awaitPhase("sized-again", Phase.Succeeded);
        Sizing sizing = done.getStatus().sizing();
        assertEquals(true, sizing.profileReused(), () -> "sizing: " + sizing);
        assertTrue(sizing.profile().startsWith("configmap/dataparallel-profile-"), sizing.profile());
        assertNull(f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName("sized-again-profile").get(),
                "no profiling Job when a kept profile fits");
    }

    @Test
    @Order(3)
    void aBudgetNoConfigurationMeetsFailsBeforeAnyWorker() {
        f.apply("too-cheap", f.spec("s3://out/too-cheap/", null).withBudget(1e-9));
        InferenceJob failed = f.awaitPhase("too-cheap", Phase.Failed);
        String message = failed.getStatus().message();
        assertTrue(message.contains("spec.budget"), message);
        assertTrue(failed.getStatus().conditions().stream().anyMatch(c -> c.getType().equals("Failed")
                && c.getReason().equals("SizingInfeasible")), () -> "conditions: " + failed.getStatus().conditions());
        assertNull(f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName("too-cheap-workers").get(),
                "no worker ran");
        f.awaitEvents("too-cheap", es -> es.stream().anyMatch(e -> "SizingInfeasible".equals(e.getReason())
                && "Warning".equals(e.getType())), "a SizingInfeasible Warning");
    }

    @Test
    @Order(4)
    void aBudgetOnAPoolWithoutPricesIsRefusedBeforeProfiling() {
        f.apply("no-prices", f.spec("s3://out/no-prices/", null).withBudget(5.0).withNodePool("unpriced"));
        InferenceJob failed = f.awaitPhase("no-prices", Phase.Failed);
        String message = failed.getStatus().message();
        assertTrue(message.startsWith("spec.budget: ") && message.contains("nodePools.unpriced.prices"), message);
        assertNull(f.client().batch().v1().jobs().inNamespace(OperatorFixture.NAMESPACE).withName("no-prices-profile").get(),
                "nothing profiled");
    }
}
