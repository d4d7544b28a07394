package io.dataparallel.core.sizing;

import static io.dataparallel.core.sizing.SizingFixtures.CPU_HOUR;
import static io.dataparallel.core.sizing.SizingFixtures.ONE;
import static io.dataparallel.core.sizing.SizingFixtures.TWO;
import static io.dataparallel.core.sizing.SizingFixtures.partitions;
import static io.dataparallel.core.sizing.SizingFixtures.pool;
import static io.dataparallel.core.sizing.SizingFixtures.profile;
import static io.dataparallel.core.sizing.SizingFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SizerTest {
    private static final Duration HALF_MINUTE = Duration.ofSeconds(30);

    @Test
    void deadlineTakesTheCheapestThatMeetsIt() {
        // 1 CPU: 2 partitions a rank → 5 + 22 = 27 s on 5 workers, 135 CPU-s; 2 CPUs: 4 a rank → 29 s on 3, 150 CPU-s
        SizingResult sizing = Sizer.size(request(Fixed.NONE, HALF_MINUTE, null));
        SizingOption choice = sizing.choice();
        assertEquals(5, choice.workers());
        assertEquals(ONE, choice.size());
        assertEquals(64, choice.batchSize());
        assertEquals(27, choice.seconds(), 1e-9);
        assertEquals(135 / 3600.0, choice.cost().amount(), 1e-12);
        assertEquals(135, choice.cost().cpuSeconds(), 1e-9);
        assertEquals(2, sizing.options().size());
        assertEquals(new SizingOption(3, TWO, 64, 1, 29, 5, 4, 20, 4000, new BilledCost(150 / 3600.0, true, 150, 300, 0)),
                sizing.options().get(1));
    }

    @Test
    void runnerUpsAreTheCheapestAndTheFastest() {
        SizingResult sizing = Sizer.size(request(Fixed.NONE, HALF_MINUTE, null));
        assertEquals(1, sizing.cheapest().workers());
        assertEquals(ONE, sizing.cheapest().size());
        assertEquals(115, sizing.cheapest().seconds(), 1e-9);
        assertEquals(10, sizing.fastest().workers());
        assertEquals(TWO, sizing.fastest().size());
        assertEquals(11, sizing.fastest().seconds(), 1e-9);
    }

    @Test
    void fixedFieldsAreKept() {
        SizingResult workers = Sizer.size(request(new Fixed(3, null, null, null, null), HALF_MINUTE, null));
        assertEquals(3, workers.choice().workers());
        assertEquals(TWO, workers.choice().size()); // one CPU would need 49 s on 3 workers
        SizingResult cpus = Sizer.size(request(new Fixed(null, null, null, 2.0, null), HALF_MINUTE, null));
        assertEquals(2, cpus.choice().size().cpus());
        assertEquals(3, cpus.choice().workers());
        SizingResult batch = Sizer.size(request(new Fixed(null, 100, null, null, null), HALF_MINUTE, null));
        assertEquals(100, batch.choice().batchSize()); // not profiled: batch 64's rates stand in
        assertEquals(5, batch.choice().workers());
    }

    @Test
    void fixedWorkersThatCannotMeetTheDeadlineNameTheDeadline() {
        SizingInfeasibleException e = assertThrows(SizingInfeasibleException.class,
                () -> Sizer.size(request(new Fixed(2, null, null, null, null), HALF_MINUTE, null)));
        assertEquals("spec.deadline", e.field());
        assertEquals(2, e.fastest().workers());
    }

    @Test
    void anUnreachableDeadlineGivesTheFastestTimeAndItsCost() {
        SizingInfeasibleException e = assertThrows(SizingInfeasibleException.class,
                () -> Sizer.size(request(Fixed.NONE, Duration.ofSeconds(10), null)));
        assertEquals("spec.deadline", e.field());
        assertEquals("spec.deadline: no configuration finishes within 10s: the fastest, 10 workers × 2 CPU, batch 64,"
                + " takes 11s and costs 0.0611: set spec.deadline to at least 11s", e.getMessage());
    }

    @Test
    void budgetTakesTheFastestWithinIt() {
        // 1 CPU costs (5 W + 110) CPU-s: within 0.04 × 3600 = 144 up to 6 workers, 27 s from 5 on; 2 CPUs: 2 workers, 35 s
        SizingResult sizing = Sizer.size(request(Fixed.NONE, null, 0.04));
        assertEquals(5, sizing.choice().workers());
        assertEquals(ONE, sizing.choice().size());
        assertEquals(27, sizing.choice().seconds(), 1e-9);
    }

    @Test
    void anUnreachableBudgetGivesTheCheapestCostAndItsTime() {
        SizingInfeasibleException e = assertThrows(SizingInfeasibleException.class,
                () -> Sizer.size(request(Fixed.NONE, null, 0.03)));
        assertEquals("spec.budget", e.field());
        assertEquals("spec.budget: no configuration costs at most 0.03: the cheapest, 1 worker × 1 CPU, batch 64,"
                + " costs 0.0319 and takes 1m55s: raise spec.budget to at least 0.0319", e.getMessage());
    }

    @Test
    void deadlineAndBudgetThatExcludeEachOtherNameBoth() {
        SizingInfeasibleException e = assertThrows(SizingInfeasibleException.class,
                () -> Sizer.size(request(Fixed.NONE, HALF_MINUTE, 0.037)));
        assertTrue(e.getMessage().contains("spec.deadline 30s and spec.budget 0.037"), e.getMessage());
        assertTrue(e.getMessage().contains("raise spec.budget or lengthen spec.deadline"), e.getMessage());
        assertEquals(5, Sizer.size(request(Fixed.NONE, HALF_MINUTE, 0.038)).choice().workers());
    }

    @Test
    void withoutPricesTheDeadlineTakesTheFewestCpuSecondsAndABudgetIsRefused() {
        SizingRequest unpriced = new SizingRequest(profile(), partitions(10, 1000), pool(Prices.UNKNOWN), Fixed.NONE,
                new Goal(HALF_MINUTE, null), 0, List.of());
        SizingOption choice = Sizer.size(unpriced).choice();
        assertEquals(5, choice.workers());
        assertEquals("135 CPU-s", choice.cost().text());
        BadInputException e = assertThrows(BadInputException.class, () -> Sizer.size(new SizingRequest(profile(),
                partitions(10, 1000), pool(Prices.UNKNOWN), Fixed.NONE, new Goal(null, 1.0), 0, List.of())));
        assertEquals("spec.budget", e.field());
    }

    @Test
    void extraSecondsAndPodsCount() {
        SizingRequest request = new SizingRequest(profile(), partitions(10, 1000), pool(CPU_HOUR), Fixed.NONE,
                new Goal(HALF_MINUTE, null), 3, List.of(new PodUsage(PodUsage.Kind.SUMMARIZER, ONE, 36)));
        SizingResult sizing = Sizer.size(request);
        // 27 s left for ranks: 1 CPU with 2 partitions a rank just fits (5 + 22 + 3 = 30 s); 2 CPUs with 4 a rank
        // does not (29 + 3), with 3 a rank on 4 workers it takes 26 s for 160 CPU-s, more than 1 CPU's 135
        assertEquals(ONE, sizing.choice().size());
        assertEquals(5, sizing.choice().workers());
        assertEquals(30, sizing.choice().seconds(), 1e-9);
        assertEquals((135 + 36) / 3600.0, sizing.choice().cost().amount(), 1e-12);
        assertEquals(4, sizing.options().get(1).workers());
        assertEquals(26, sizing.options().get(1).seconds(), 1e-9);
    }

    @Test
    void localCoresCapTheWorkersTimesCpus() {
        Pool twoCores = new Pool("local", CPU_HOUR, List.of(ONE, TWO), 2);
        SizingOption choice = Sizer.size(new SizingRequest(profile(), partitions(10, 1000), twoCores, Fixed.NONE,
                new Goal(Duration.ofSeconds(65), null), 0, List.of())).choice();
        // 1 CPU × 2 workers: 5 + 5 × 11 = 60 s; 2 CPUs × 1: 5 + 60 = 65 s; the first is cheaper (120 vs 130 CPU-s)
        assertEquals(2, choice.workers());
        assertEquals(ONE, choice.size());
        assertThrows(SizingInfeasibleException.class, () -> Sizer.size(new SizingRequest(profile(),
                partitions(10, 1000), twoCores, Fixed.NONE, new Goal(Duration.ofSeconds(59), null), 0, List.of())));
    }

    @Test
    void fixedWorkersBeyondTheCoresNameSpecWorkers() {
        Pool twoCores = new Pool("local", CPU_HOUR, List.of(ONE, TWO), 2);
        BadInputException e = assertThrows(BadInputException.class, () -> Sizer.size(new SizingRequest(profile(),
                partitions(10, 1000), twoCores, new Fixed(4, null, null, null, null), new Goal(HALF_MINUTE, null), 0,
                List.of())));
        assertEquals("spec.workers: is 4 but node pool 'local' runs at most 2 CPUs at once, so at most 2 workers of 1 CPU:"
                + " lower spec.workers to 2 or less, or leave it out to let the sizing choose", e.getMessage());
    }

    @Test
    void profileMemoryExcludesSmallerSizes() {
        Profile big = new Profile(Profile.VERSION, profile().key(), profile().measuredAt(), 5, 1000, 1000, 1000,
                3L << 30, profile().points());
        SizingOption choice = Sizer.size(new SizingRequest(big, partitions(10, 1000), pool(CPU_HOUR), Fixed.NONE,
                new Goal(HALF_MINUTE, null), 0, List.of())).choice();
        assertEquals(TWO, choice.size());
    }

    @Test
    void sameRequestSameChoice() {
        SplittableRandom random = new SplittableRandom(7);
        long[] sizes = new long[5000];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 500 + random.nextInt(1000);
        }
        SizingRequest request = new SizingRequest(profile(), sizes, pool(CPU_HOUR), Fixed.NONE,
                new Goal(Duration.ofMinutes(10), null), 0, List.of());
        assertEquals(Sizer.size(request), Sizer.size(request));
    }

    @Test
    void aHundredThousandPartitionsAreSizedFast() {
        SplittableRandom random = new SplittableRandom(42);
        long[] sizes = new long[100_000];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 80_000_000 + random.nextInt(40_000_000);
        }
        Profile profile = new Profile(Profile.VERSION, profile().key(), profile().measuredAt(), 20, 50e6, 100_000_000,
                5113, 0, List.of(new RatePoint(128, 1, 1, 300), new RatePoint(128, 2, 1, 550),
                new RatePoint(512, 1, 1, 350), new RatePoint(512, 2, 1, 640)));
        Pool pool = new Pool("pool", new Prices(0.03, 0.004, 0), List.of(new WorkerSize(1, 2, 0),
                new WorkerSize(2, 4, 0), new WorkerSize(4, 8, 0), new WorkerSize(8, 16, 0)), 0);
        for (Goal goal : List.of(new Goal(Duration.ofMinutes(10), null), new Goal(null, 500.0),
                new Goal(Duration.ofHours(2), 400.0))) {
            long start = System.nanoTime();
            SizingResult sizing = Sizer.size(new SizingRequest(profile, sizes, pool, Fixed.NONE, goal, 0, List.of()));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 5, "sizing 100,000 partitions took " + seconds + " s"); // generous: a busy machine
            if (goal.deadline() != null) {
                assertTrue(sizing.choice().seconds() <= goal.deadlineSeconds());
            }
            if (goal.budget() != null) {
                assertTrue(sizing.choice().cost().amount() <= goal.budget());
            }
        }
    }
}
