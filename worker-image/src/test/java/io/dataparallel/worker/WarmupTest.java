package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build's warmup runs a small job whole (plan, one rank, its summary) against the
 * loopback store: the classes a pod loads end up in the image's class-data archive only if
 * every step of it works.
 */
class WarmupTest {
    @Test
    void theWarmupRunsAJobWholeAndLeavesNothingBehind(@TempDir Path temp) throws Exception {
        Map<String, String> env = Map.of(WorkerLaunch.TMPDIR, temp.toString());
        try (ModelCache models = ModelCache.forOneRank()) {
            WorkerMain.Ending end = WorkerMain.run(WorkerLaunch.WARMUP, env, System.currentTimeMillis(), models);
            assertEquals(WorkerMain.Ending.OK, end, "warmup failed: " + end.error());
        }
        try (var left = Files.list(temp)) {
            assertTrue(left.findAny().isEmpty(), "the warmup left files in the temp folder");
        }
    }
}
