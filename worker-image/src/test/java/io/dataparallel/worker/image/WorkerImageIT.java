package io.dataparallel.worker.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker image as images/build.sh builds it from worker-image/Dockerfile (run after package, when the
 * jars exist): what the launch contract says is in it, and its warm-up job under runc with the pod's
 * restrictions (read-only root, no capabilities, user 10001, a memory limit).
 */
class WorkerImageIT {
    private static final List<String> PODMAN = List.of("podman", "--cgroup-manager=cgroupfs", "--runtime", "runc");
    private static String image;

    @BeforeAll
    static void build() throws Exception {
        boolean installable = onPath("podman") || (onPath("apt-get") && "root".equals(System.getProperty("user.name")));
        Assumptions.assumeTrue(installable, "no podman, and no apt-get as root to install it: the worker image is not built");
        Result built = run(List.of("bash", "../images/build.sh", "worker"), 900);
        assertEquals(0, built.rc, "images/build.sh worker failed:\n" + built.out);
        String[] line = built.out.lines().filter(l -> l.startsWith("worker ")).reduce((a, b) -> b).orElseThrow().split(" ");
        image = line[1];
    }

    @Test
    void runsAsTheUserAndWithTheEnvironmentTheLauncherExpects() throws Exception {
        assertEquals("10001", podman(List.of("image", "inspect", "--format", "{{.Config.User}}", image)).trim());
        String env = podman(List.of("image", "inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", image));
        assertTrue(env.lines().anyMatch((WorkerLaunch.ALLOCATOR + "=" + WorkerLaunch.ALLOCATOR_SETTINGS)::equals), env);
        assertTrue(env.lines().anyMatch("DJL_CACHE_DIR=/opt/djl"::equals), env);
        assertTrue(env.lines().anyMatch("PYTORCH_FLAVOR=cpu"::equals), env);
    }

    @Test
    void holdsTheJarsTheClassDataArchiveAndLibtorchExtracted() throws Exception {
        String listing = podman(List.of("run", "--rm", "--network", "none", "--ulimit", "nofile=4096:4096", "--ulimit",
                "nproc=4096:4096", "--entrypoint", "sh", image, "-c",
                "ls /app /app/lib; test -s " + WorkerLaunch.IMAGE_CLASS_DATA + " && echo class-data-ok; find /opt/djl -name 'libtorch*.so*'"));
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("dataparallel-worker-") && l.endsWith(".jar")), listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("pytorch-jni-")), listing);
        assertTrue(listing.contains("class-data-ok"), "no class-data archive at " + WorkerLaunch.IMAGE_CLASS_DATA + ":\n" + listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("/opt/djl/") && l.contains("libtorch")), "libtorch not extracted:\n" + listing);
    }

    @Test
    void runsTheWarmupWithAReadOnlyRootAndNoCapabilities() throws Exception {
        List<String> cmd = new ArrayList<>(PODMAN);
        cmd.addAll(List.of("run", "--rm", "--network", "none", "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges", "--user", "10001", "--memory", "1g",
                "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096", image, WorkerLaunch.WARMUP));
        Result warm = run(cmd, 300);
        assertEquals(0, warm.rc, warm.out);
        assertTrue(warm.out.contains("warmup job done"), warm.out);
    }

    private static String podman(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(PODMAN);
        cmd.addAll(args);
        Result r = run(cmd, 120);
        assertEquals(0, r.rc, String.join(" ", cmd) + ":\n" + r.out);
        return r.out;
    }

    private static boolean onPath(String tool) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private record Result(int rc, String out) {
    }

    private static Result run(List<String> cmd, long seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("image", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(-1, "timed out after " + seconds + " s: " + String.join(" ", cmd) + "\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
