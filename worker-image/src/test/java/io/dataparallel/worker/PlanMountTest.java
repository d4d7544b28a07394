package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.core.plan.PlanCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanMountTest {
    @TempDir
    Path dir;

    private static Plan plan(String uid) {
        return new Plan(Plan.VERSION, new JobRef("ns", "again", uid), null, 1, List.of(), List.of(), List.of(), List.of(0, 0),
                List.of(), null, List.of());
    }

    @Test
    void anEarlierJobsPlanIsReadAgainUntilTheMountHoldsThisJobs() throws Exception {
        Path file = dir.resolve("plan.json.gz");
        PlanCodec.write(plan("uid-earlier"), file);
        Thread kubelet = new Thread(() -> {
            try {
                Thread.sleep(1500);
                PlanCodec.write(plan("uid-this"), file);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        kubelet.start();
        Plan read = PlanMount.read(file, "uid-this", Duration.ofSeconds(20));
        kubelet.join();
        assertEquals("uid-this", read.job().uid());
    }

    @Test
    void aPlanThatStaysAnotherJobsFailsNamingBothUidsAndTheFix() throws Exception {
        Path file = dir.resolve("plan.json.gz");
        PlanCodec.write(plan("uid-earlier"), file);
        BadInputException e = assertThrows(BadInputException.class, () -> PlanMount.read(file, "uid-this", Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("uid-earlier") && e.getMessage().contains("uid-this")
                && e.getMessage().contains("delete the pod"), e.getMessage());
    }

    @Test
    void withNoUidToCheckThePlanIsTakenAsItIs() {
        Path file = dir.resolve("plan.json.gz");
        PlanCodec.write(plan("uid-earlier"), file);
        assertEquals("uid-earlier", PlanMount.read(file, null, Duration.ZERO).job().uid());
    }
}
