package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The worker images' ENV and ENTRYPOINT carry the allocator settings and JVM options that local
 * mode, the benchmarks and the e2e harness take from {@link WorkerLaunch#ALLOCATOR_SETTINGS} and
 * {@link WorkerLaunch#JVM_OPTIONS}: a Dockerfile cannot name the Java constants, so this keeps the
 * copies equal.
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

    @Test
    void bothWorkerImagesStartTheJvmAsTheLaunchersDo() throws Exception {
        String options = "\"java\", \"" + String.join("\", \"", WorkerLaunch.JVM_OPTIONS) + "\", ";
        for (String dockerfile : new String[] {"Dockerfile", "Dockerfile.gpu"}) {
            String entrypoint = Files.readAllLines(Path.of(dockerfile)).stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst()
                    .orElseThrow();
            assertTrue(entrypoint.startsWith("ENTRYPOINT [" + options), dockerfile + ": " + entrypoint + " does not start with " + options);
        }
    }
}
