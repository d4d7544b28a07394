package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerLaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<String> all = new ArrayList<>(WorkerLaunch.JVM_OPTIONS);
        all.addAll(WorkerLaunch.classData(WorkerLaunch.IMAGE_CLASS_DATA));
        String options = "\"java\", \"" + String.join("\", \"", all) + "\", ";
        for (String dockerfile : new String[] {"Dockerfile", "Dockerfile.gpu"}) {
            String entrypoint = Files.readAllLines(Path.of(dockerfile)).stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst()
                    .orElseThrow();
            assertTrue(entrypoint.startsWith("ENTRYPOINT [" + options), dockerfile + ": " + entrypoint + " does not start with " + options);
        }
    }

    @Test
    void bothWorkerImagesWriteTheClassDataArchiveTheirPodsMap() throws Exception {
        String write = String.join(" ", WorkerLaunch.JVM_OPTIONS) + " "
                + String.join(" ", WorkerLaunch.writeClassData(WorkerLaunch.IMAGE_CLASS_DATA));
        for (String dockerfile : new String[] {"Dockerfile", "Dockerfile.gpu"}) {
            String text = Files.readString(Path.of(dockerfile));
            assertTrue(text.contains("java " + write + " \\\n    -cp \"/app/*:/app/lib/*\" io.dataparallel.worker.WorkerMain "
                    + WorkerLaunch.WARMUP), dockerfile + " does not run the warmup with " + write);
        }
    }
}
