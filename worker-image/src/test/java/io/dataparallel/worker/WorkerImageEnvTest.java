package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The worker images' ENV carries the allocator settings that local mode, the benchmarks and the
 * e2e harness take from {@link WorkerLaunch#ALLOCATOR_SETTINGS}: a Dockerfile cannot name the Java
 * constant, so this keeps the copies equal.
 */
class WorkerImageEnvTest {
    @Test
    void bothWorkerImagesSetTheAllocatorAsTheLaunchersDo() throws Exception {
        String line = WorkerLaunch.ALLOCATOR + "=" + WorkerLaunch.ALLOCATOR_SETTINGS;
        for (String dockerfile : new String[] {"Dockerfile", "Dockerfile.gpu"}) {
            String text = Files.readString(Path.of(dockerfile));
            assertTrue(text.contains(line + "\n") || text.contains(line + " \\"), dockerfile + " has no ENV " + line);
        }
    }
}
