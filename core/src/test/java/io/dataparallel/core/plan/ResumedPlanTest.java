package io.dataparallel.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A plan resumed from an earlier run: the partitions done earlier leave the ranks, the rest is balanced again. */
class ResumedPlanTest {
    static Plan plan(int partitions, int workers) {
        List<String> keys = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<String> etags = new ArrayList<>();
        long[] sizeArray = new long[partitions];
        for (int i = 0; i < partitions; i++) {
            keys.add(String.format("p-%03d.npz", i));
            sizes.add(100L);
            sizeArray[i] = 100L;
            etags.add("e" + i);
        }
        List<Integer> starts = new ArrayList<>();
        for (int s : RankAssigner.assign(sizeArray, workers)) {
            starts.add(s);
        }
        return new Plan(Plan.VERSION, new JobRef("ns", "job", "u"), PlanCodecTest.SPEC, workers, keys, sizes, etags, starts, List.of());
    }

    @Test
    void nothingDoneEarlierLeavesThePlanAsItIs() {
        Plan p = plan(8, 4);
        assertSame(p, Planner.resume(p, List.of()));
        assertEquals("8 partitions", Planner.partitionsText(p));
    }

    @Test
    void whatIsLeftIsSpreadOverAllTheWorkersAndEachComputesOnlyWhatIsLeft() {
        Plan p = plan(8, 4);
        // the first run finished ranks 0 and 1 (partitions 0-3) and one partition of rank 2
        Plan resumed = Planner.resume(p, List.of(0, 1, 2, 3, 4));
        assertEquals(3, resumed.worldSize(), "three partitions left: three workers, not four with one idle");
        assertEquals(List.of(0, 1, 2, 3, 4), resumed.resumed());
        Set<String> computed = new HashSet<>();
        for (int r = 0; r < resumed.worldSize(); r++) {
            List<Partition> mine = resumed.partitionsOf(r);
            assertEquals(1, mine.size(), "rank " + r + ": " + mine);
            mine.forEach(x -> assertTrue(computed.add(x.key())));
        }
        assertEquals(Set.of("p-005.npz", "p-006.npz", "p-007.npz"), computed);
        assertEquals("8 partitions: 5 done earlier (skipped), 3 to run", Planner.partitionsText(resumed));
        assertTrue(resumed.notes().contains("running 3 workers for the 3 partitions left"), resumed.notes().toString());
        assertEquals(List.of("p-000.npz", "p-001.npz", "p-002.npz", "p-003.npz", "p-004.npz"),
                resumed.resumedPartitions().stream().map(Partition::key).toList());
    }

    @Test
    void scatteredLeftoversAreBalancedAmongTheWorkers() {
        Plan p = plan(100, 4);
        List<Integer> done = IntStream.range(0, 100).filter(i -> i % 3 != 0).boxed().toList(); // 34 left, scattered
        Plan resumed = Planner.resume(p, done);
        assertEquals(4, resumed.worldSize());
        int total = 0;
        for (int r = 0; r < 4; r++) {
            int n = resumed.partitionsOf(r).size();
            assertTrue(n >= 8 && n <= 9, "rank " + r + " has " + n + " of 34");
            total += n;
            resumed.partitionsOf(r).forEach(x -> assertFalse(done.contains(Integer.parseInt(x.key().substring(2, 5)))));
        }
        assertEquals(34, total);
    }

    @Test
    void everythingDoneEarlierNeedsNoWorker() {
        Plan resumed = Planner.resume(plan(5, 2), List.of(0, 1, 2, 3, 4));
        assertEquals(0, resumed.worldSize());
        assertEquals(0, resumed.partitionsToRun());
        assertEquals("5 partitions: 5 done earlier (skipped), 0 to run", Planner.partitionsText(resumed));
        assertEquals(resumed, PlanCodec.decode(PlanCodec.encode(resumed)));
    }

    @Test
    void theDoneEarlierTravelAsRangesAndChangeTheHash() {
        Plan p = plan(1000, 10);
        List<Integer> done = new ArrayList<>(IntStream.range(0, 450).boxed().toList());
        done.add(500);
        done.addAll(IntStream.range(600, 1000).boxed().toList());
        Plan resumed = Planner.resume(p, done);
        assertEquals("0-449,500,600-999", IndexRanges.format(resumed.resumed()));
        assertEquals(resumed.resumed(), IndexRanges.parse("0-449,500,600-999"));
        Plan back = PlanCodec.decode(PlanCodec.encode(resumed));
        assertEquals(resumed, back);
        assertEquals(resumed.partitionsOf(0), back.partitionsOf(0));
        assertNotEquals(PlanCodec.hash(p), PlanCodec.hash(resumed), "a resumed plan is another plan: its ranks own other partitions");
        assertEquals(List.of(), IndexRanges.parse(null), "plans written before resumed plans existed");
    }
}
