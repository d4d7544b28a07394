package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerLaunch;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerEnvTest {
    @Test
    void rankComesFromRankOrTheCompletionIndex() {
        assertEquals(3, WorkerEnv.from(Map.of(WorkerLaunch.RANK, "3", WorkerLaunch.WORLD_SIZE, "4")).rank());
        assertEquals(2, WorkerEnv.from(Map.of(WorkerLaunch.COMPLETION_INDEX, "2", WorkerLaunch.WORLD_SIZE, "4")).rank());
        assertEquals(Path.of(WorkerLaunch.DEFAULT_PLAN), WorkerEnv.from(Map.of(WorkerLaunch.RANK, "0", WorkerLaunch.WORLD_SIZE, "1")).plan());
    }

    @Test
    void threadsFollowTheCpusThisProcessMayUseUnlessSet() {
        // availableProcessors honours the cgroup CPU quota, which is what a pod's limit sets
        assertEquals(Runtime.getRuntime().availableProcessors(), WorkerEnv.from(Map.of(WorkerLaunch.RANK, "0", WorkerLaunch.WORLD_SIZE, "1")).threads());
        assertEquals(5, WorkerEnv.from(Map.of(WorkerLaunch.RANK, "0", WorkerLaunch.WORLD_SIZE, "1", WorkerLaunch.THREADS, "5")).threads());
    }

    @Test
    void badValuesNameTheVariable() {
        BadInputException missing = assertThrows(BadInputException.class, () -> WorkerEnv.from(Map.of(WorkerLaunch.WORLD_SIZE, "2")));
        assertEquals(WorkerLaunch.RANK, missing.field());
        BadInputException outside = assertThrows(BadInputException.class, () -> WorkerEnv.from(Map.of(WorkerLaunch.RANK, "2", WorkerLaunch.WORLD_SIZE, "2")));
        assertTrue(outside.getMessage().contains("0..1"));
        BadInputException text = assertThrows(BadInputException.class,
                () -> WorkerEnv.from(Map.of(WorkerLaunch.RANK, "0", WorkerLaunch.WORLD_SIZE, "1", WorkerLaunch.THREADS, "many")));
        assertEquals(WorkerLaunch.THREADS, text.field());
    }
}
