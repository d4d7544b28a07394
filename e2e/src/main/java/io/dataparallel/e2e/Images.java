package io.dataparallel.e2e;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.core.launch.ClassDataArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the process kubelet runs for an image: what the project's Dockerfiles put in it (the
 * module's jar and {@code target/lib}), its entry point and its environment. An image it does not
 * know is not run (the pod waits with {@code ErrImagePull}), as a node that cannot pull it.
 */
final class Images {
    /** The ENTRYPOINT and ENV of one image. */
    record Image(String classpath, String mainClass, List<String> jvmOptions, Map<String, String> env, List<String> defaultArgs) {
    }

    private final Path repo;
    private final Path djlCache;
    /** The worker image's {@link WorkerLaunch#classData} options, once {@link #warmUp} wrote its archive. */
    private List<String> classData = List.of();

    Images(Path repo, Path djlCache) {
        this.repo = repo;
        this.djlCache = djlCache;
    }

    /** {@code /app/*:/app/lib/*} of the image: the module's jar and its runtime dependencies. */
    private String contents(String module) {
        Path target = repo.resolve(module).resolve("target");
        return target + "/*:" + target + "/lib/*";
    }

    /**
     * What the worker image's build does once ({@code RUN ... WorkerMain warmup}): extract libtorch
     * into the DJL cache and write the class-data archive its pods map (kept in {@code classDataFolder}
     * while the jars stay the same). Without the extraction the first workers of a job, started
     * together, all extract into the shared cache at once and fail ("Failed to extract PyTorch native library").
     */
    void warmUp(Path log, Path classDataFolder) throws IOException, InterruptedException {
        Image worker = resolve("worker").orElseThrow();
        Map<String, String> env = new HashMap<>(worker.env());
        env.put(WorkerLaunch.TMPDIR, djlCache.toString());
        classData = ClassDataArchive.options(classDataFolder, worker.classpath(), env);
        if (!classData.isEmpty() && Files.isDirectory(djlCache.resolve("pytorch"))) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-cp", worker.classpath(), worker.mainClass(), WorkerLaunch.WARMUP));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(worker.env());
        b.environment().put(WorkerLaunch.TMPDIR, djlCache.toString());
        Process p = b.start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("the worker image's warmup (libtorch extraction) failed; see " + log);
        }
    }

    Optional<Image> resolve(String image) {
        String repository = image.replaceFirst("@.*$", "").replaceFirst(":[^/:]*$", "");
        String last = repository.substring(repository.lastIndexOf('/') + 1);
        return switch (last) {
            // operator/Dockerfile
            case "operator" -> Optional.of(new Image(contents("operator"), "io.dataparallel.operator.OperatorMain",
                    List.of("-XX:+UseSerialGC"), Map.of(), List.of()));
            // worker-image/Dockerfile and Dockerfile.gpu; libtorch is extracted once into a shared
            // cache as the image build does. There is no CUDA build of libtorch here: the GPU image
            // runs the CPU one, and the worker finds no GPU, which is what the GPU tests expect.
            case "worker", "worker-gpu" -> Optional.of(new Image(contents("worker-image"), "io.dataparallel.worker.WorkerMain",
                    Stream.of(WorkerLaunch.JVM_OPTIONS, List.of("-XX:MaxRAMPercentage=50"), classData).flatMap(List::stream).toList(),
                    Map.of("PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cpu", "OPT_OUT_TRACKING", "true",
                            "DJL_CACHE_DIR", djlCache.toString(), WorkerLaunch.TMPDIR, "/tmp",
                            WorkerLaunch.ALLOCATOR, WorkerLaunch.ALLOCATOR_SETTINGS),
                    List.of(WorkerLaunch.WORKER)));
            default -> Optional.empty();
        };
    }
}
