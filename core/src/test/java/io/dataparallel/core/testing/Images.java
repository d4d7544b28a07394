package io.dataparallel.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The images a user deploys, as images/build.sh builds them from their Dockerfiles, and podman with this
 * machine kind's runtime flags (runc with cgroupfs, rlimits at or below the hard limits) to look into and run
 * them. For the *ImageIT tests, run after package when the jars exist.
 */
public final class Images {
    public static final List<String> PODMAN = List.of("podman", "--cgroup-manager=cgroupfs", "--runtime", "runc");
    /** No CAP_SYS_RESOURCE here: a container may not raise its rlimits above the current hard limits. */
    public static final List<String> ULIMITS = List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096");

    private Images() {
    }

    /** Whether podman is here, or can be installed (apt-get as root): else the image tests are skipped. */
    public static boolean buildable() {
        return onPath("podman") || (onPath("apt-get") && "root".equals(System.getProperty("user.name")));
    }

    /** Builds (or finds unchanged) the image {@code name} ({@code worker}, {@code operator}); returns its reference. */
    public static String build(String name) throws IOException, InterruptedException {
        Path script = S3Fixture.repoRoot().resolve("images/build.sh");
        Result built = run(List.of("bash", script.toString(), name), 900);
        if (built.rc() != 0) {
            throw new AssertionError("images/build.sh " + name + " failed:\n" + built.out());
        }
        return built.out().lines().filter(l -> l.startsWith(name + " ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("images/build.sh printed no line for " + name + ":\n" + built.out()))
                .split(" ")[1];
    }

    /** {@code podman args…}, which must succeed; its output. */
    public static String podman(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(PODMAN);
        cmd.addAll(args);
        Result r = run(cmd, 120);
        if (r.rc() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.rc() + ":\n" + r.out());
        }
        return r.out();
    }

    /** {@code podman run} with the pod's restrictions: no network, read-only root, a tmpfs /tmp, no capabilities, user 10001. */
    public static Result runRestricted(String image, String memory, long seconds, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(PODMAN);
        cmd.addAll(List.of("run", "--rm", "--network", "none", "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges", "--user", "10001", "--memory", memory));
        cmd.addAll(ULIMITS);
        cmd.add(image);
        cmd.addAll(args);
        return run(cmd, seconds);
    }

    /** What a command printed (stdout and stderr together) and its exit code; -1 when it ran past {@code seconds}. */
    public record Result(int rc, String out) {
    }

    public static Result run(List<String> cmd, long seconds) throws IOException, InterruptedException {
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

    private static boolean onPath(String tool) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
