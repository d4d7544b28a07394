package io.dataparallel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The binaries the harness runs: the control plane from {@code e2e/build-k8s.sh} (built into
 * its cache when missing) and helm and kubectl from the chart tests' installer.
 */
public record Tools(Path k8sBin, Path bin) {

    static Tools ensure(Path repo) throws IOException, InterruptedException {
        Path k8s = Path.of(run(repo, List.of("bash", repo.resolve("e2e/build-k8s.sh").toString()), 3600).strip()
                .lines().reduce((a, b) -> b).orElseThrow());
        Path tools = repo.resolve("e2e/target/tools");
        run(repo, List.of("bash", repo.resolve("charts/src/test/install-tools.sh").toString(), tools.toString()), 600);
        return new Tools(k8s, tools.resolve("bin"));
    }

    public Path helm() {
        return bin.resolve("helm");
    }

    public Path kubectl() {
        return bin.resolve("kubectl");
    }

    /** helm against the cluster, with its caches in a folder of its own; fails on a non-zero exit. */
    public String helm(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(helm().toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return run(bin.getParent(), command, 600);
    }

    /** kubectl against the cluster; fails on a non-zero exit. */
    public String kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
        return kubectl(kubeconfig, List.of(args)).requireOk();
    }

    public Result kubectl(Path kubeconfig, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl().toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", bin.getParent().resolve("kube-cache").toString()));
        command.addAll(args);
        return exec(bin.getParent(), command, 120);
    }

    /** A finished command. */
    public record Result(List<String> command, int exitCode, String output) {
        public String requireOk() throws IOException {
            if (exitCode != 0) {
                throw new IOException(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            }
            return output;
        }
    }

    static String run(Path dir, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        return exec(dir, command, timeoutSeconds).requireOk();
    }

    static Result exec(Path dir, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "cmd", ".out");
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Path home = dir.resolve("home");
        for (String xdg : List.of("CACHE", "CONFIG", "DATA")) {
            b.environment().put("XDG_" + xdg + "_HOME", home.resolve(xdg.toLowerCase()).toString());
        }
        // helm's discovery and HTTP caches, else ~/.kube/cache/ gains a folder per cluster port (kubectl gets --cache-dir)
        b.environment().put("KUBECACHEDIR", dir.resolve("kube-cache").toString());
        Process p = b.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new Result(command, p.exitValue(), output);
    }
}
