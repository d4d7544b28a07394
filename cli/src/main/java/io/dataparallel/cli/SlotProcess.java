package io.dataparallel.cli;

import io.dataparallel.api.launch.RankExit;
import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.core.concurrent.DaemonThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One worker process of the local pool, running the worker image's {@code slot} command: it is
 * handed ranks one at a time and runs each as a pod would, with libtorch and the model loaded
 * once. Its output is split into the log of the rank it is running ({@code rank-N.log}, as one
 * process per rank would write it), or {@code slot-K.log} between ranks; the {@link RankExit}
 * lines it prints say how each rank ended.
 */
final class SlotProcess {
    /** A rank handed to this slot, and which attempt at it this is. */
    record Attempt(int rank, int attempt) {
    }

    private final int id;
    private final Process process;
    private final Path logs;
    private final Thread reader;
    private final Queue<RankExit> exits = new ConcurrentLinkedQueue<>();
    /** Guarded by this: the log lines go to now. */
    private Writer sink;
    private Attempt current;
    private int ranksTaken;
    private volatile boolean retiring;

    private SlotProcess(int id, Process process, Path logs) {
        this.id = id;
        this.process = process;
        this.logs = logs;
        this.reader = DaemonThreads.start("slot-" + id + "-output", this::readOutput);
    }

    /** Starts slot {@code id} with {@code baseEnv} and WORLD_SIZE; RANK comes with each rank. */
    static SlotProcess start(int id, int worldSize, Map<String, String> baseEnv, Path logs) {
        ProcessBuilder pb = new ProcessBuilder(Java.command("io.dataparallel.worker.WorkerMain", WorkerLaunch.SLOT));
        pb.environment().clear();
        pb.environment().putAll(baseEnv);
        pb.environment().put(WorkerLaunch.WORLD_SIZE, Integer.toString(worldSize));
        pb.redirectErrorStream(true);
        try {
            return new SlotProcess(id, pb.start(), logs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker process: " + e.getMessage(), e);
        }
    }

    Process process() {
        return process;
    }

    /** Hands {@code next} to this slot: its output goes to the rank's log (appended from the second attempt on). */
    void assign(Attempt next) {
        synchronized (this) {
            closeSink();
            sink = open(log(next.rank()), next.attempt() > 1);
            current = next;
            ranksTaken++;
        }
        try {
            OutputStream in = process.getOutputStream();
            in.write((next.rank() + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            // the process is gone: the pool sees it ended with this rank in flight and retries the rank
        }
    }

    /** The rank this slot is running, or null when it waits for one. */
    synchronized Attempt current() {
        return current;
    }

    /** How many ranks it was handed. */
    synchronized int ranksTaken() {
        return ranksTaken;
    }

    /** Whether it may be handed a rank: alive, not running one, and not ending after a retryable failure. */
    boolean idle() {
        return current() == null && !retiring && process.isAlive();
    }

    /** A rank this slot finished, and how (the line the slot reported it on). */
    record Finished(Attempt attempt, RankExit exit) {
    }

    /** The next rank that ended, as the slot reported it, or null. */
    synchronized Finished nextFinished() {
        RankExit e = exits.poll();
        if (e == null) {
            return null;
        }
        Attempt attempt = current != null && current.rank() == e.rank() ? current : new Attempt(e.rank(), 1);
        current = null;
        return new Finished(attempt, e);
    }

    /** Whether the process ended and all its output was read: read {@link #nextExit()} after this, not before. */
    boolean ended() {
        return !reader.isAlive() && !process.isAlive();
    }

    /** The process's exit code; only once {@link #ended()}. */
    int exitCode() {
        return process.exitValue();
    }

    /** Ends it when it next waits for a rank (end of input), as a finished pod ends. */
    void finish() {
        retiring = true;
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    Path log(int rank) {
        return logs.resolve("rank-" + rank + ".log");
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                RankExit exit = RankExit.parse(line).orElse(null);
                if (exit == null) {
                    write(line);
                    continue;
                }
                if (WorkerExit.of(exit.exitCode()).retryable()) {
                    retiring = true; // the slot ends itself after a retryable failure: its retry gets a fresh process
                }
                synchronized (this) {
                    closeSink();
                }
                exits.add(exit);
            }
        } catch (IOException e) {
            // the process was killed while we read: what it wrote is in the log
        } finally {
            synchronized (this) {
                closeSink();
            }
        }
    }

    private synchronized void write(String line) throws IOException {
        if (sink == null) {
            sink = open(logs.resolve("slot-" + id + ".log"), true); // between ranks: rare, kept for whoever debugs the slot
        }
        sink.write(line);
        sink.write('\n');
        sink.flush();
    }

    private void closeSink() {
        if (sink == null) {
            return;
        }
        try {
            sink.close();
        } catch (IOException ignored) {
            // the log is best effort; the outcome comes from the exit line
        }
        sink = null;
    }

    private static Writer open(Path log, boolean append) {
        try {
            return Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the worker log " + log, e);
        }
    }
}
