package io.dataparallel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One long-running process of the harness (etcd, an API server, a controller), its output in
 * a log file, its pid in a file so {@code cluster.sh down} can stop it even when the JVM that
 * started it is gone.
 */
final class Daemon implements AutoCloseable {
    final String name;
    final Path log;
    private final Process process;
    private final Path pidFile;

    private Daemon(String name, Process process, Path log, Path pidFile) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pidFile = pidFile;
    }

    static Daemon start(String name, List<String> command, Path stateDir) throws IOException {
        Path logs = Files.createDirectories(stateDir.resolve("logs"));
        Path log = logs.resolve(name + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Path pids = Files.createDirectories(stateDir.resolve("pids"));
        Path pidFile = pids.resolve(name + ".pid");
        Files.writeString(pidFile, Long.toString(p.pid()));
        return new Daemon(name, p, log, pidFile);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last lines of the log, for an error message that says why the process is not up. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // stale pid file: down checks the process is still ours before killing
        }
    }
}
