package io.dataparallel.cli;

import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the ranks of a plan as local worker processes, like the pods of an Indexed Job:
 * at most {@code parallel} at once, each with RANK and WORLD_SIZE, a rank that exits with
 * a retryable code ({@link WorkerExit}) is started again up to {@code retries} times
 * (backoffLimitPerIndex), and exit code 3 fails the rank at once (the podFailurePolicy).
 * Logs go to one file per rank. With a deadline ({@code spec.timeout}) the workers still running
 * at it are stopped, like the Job controller at activeDeadlineSeconds, and ranks not started do
 * not start.
 */
final class WorkerPool {
    /** How one rank ended. */
    record Outcome(int rank, int exitCode, int attempts, String lastError) {
        boolean succeeded() {
            return WorkerExit.of(exitCode) == WorkerExit.OK;
        }
    }

    /** The exit code a rank gets when the deadline stopped it or kept it from starting (timeout(1)'s). */
    static final int TIMED_OUT = 124;
    /** How long a stopped worker has to exit on its own, like a pod's terminationGracePeriodSeconds. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean timedOut;

    /** Stops every worker (Ctrl-C): a rerun resumes from the predictions already written. */
    void stopAll() {
        running.forEach(Process::destroy);
    }

    /** Whether the deadline stopped workers or kept ranks from starting. */
    boolean timedOut() {
        return timedOut;
    }

    /** @param deadline when to stop the workers still running ({@code spec.timeout} from now), or null for never */
    List<Outcome> run(int worldSize, int parallel, int retries, Map<String, String> baseEnv, Path logs, Instant deadline)
            throws InterruptedException {
        Deque<int[]> queue = new ArrayDeque<>(); // {rank, attempt}
        for (int r = 0; r < worldSize; r++) {
            queue.add(new int[] {r, 1});
        }
        Outcome[] outcomes = new Outcome[worldSize];
        List<Started> active = new ArrayList<>();
        while (!queue.isEmpty() || !active.isEmpty()) {
            while (active.size() < parallel && !queue.isEmpty()) {
                int[] next = queue.poll();
                active.add(start(next[0], next[1], worldSize, baseEnv, logs));
            }
            Thread.sleep(50);
            if (deadline != null && Instant.now().isAfter(deadline) && !timedOut) {
                timedOut = true;
                queue.forEach(q -> outcomes[q[0]] = new Outcome(q[0], TIMED_OUT, q[1] - 1, "not started before spec.timeout"));
                queue.clear();
                stopAll(); // their exit codes are recorded below, as the loop sees them end
            }
            if (timedOut && Instant.now().isAfter(deadline.plus(GRACE))) {
                running.forEach(Process::destroyForcibly); // as the kubelet after the grace period
            }
            for (Started s : List.copyOf(active)) {
                if (s.process.isAlive()) {
                    continue;
                }
                active.remove(s);
                running.remove(s.process);
                int code = s.process.exitValue();
                if (timedOut) {
                    outcomes[s.rank] = new Outcome(s.rank, code == WorkerExit.OK.code() ? code : TIMED_OUT, s.attempt,
                            code == WorkerExit.OK.code() ? null : "stopped at spec.timeout");
                } else if (WorkerExit.of(code).retryable() && s.attempt <= retries) {
                    queue.add(new int[] {s.rank, s.attempt + 1});
                } else {
                    outcomes[s.rank] = new Outcome(s.rank, code, s.attempt, code == WorkerExit.OK.code() ? null : lastError(s.log));
                }
            }
        }
        return List.of(outcomes);
    }

    private record Started(int rank, int attempt, Process process, Path log) {
    }

    private Started start(int rank, int attempt, int worldSize, Map<String, String> baseEnv, Path logs) {
        Path log = logs.resolve("rank-" + rank + ".log");
        ProcessBuilder pb = new ProcessBuilder(Java.command("io.dataparallel.worker.WorkerMain", WorkerLaunch.WORKER));
        pb.environment().clear();
        pb.environment().putAll(baseEnv);
        pb.environment().put(WorkerLaunch.RANK, Integer.toString(rank));
        pb.environment().put(WorkerLaunch.WORLD_SIZE, Integer.toString(worldSize));
        pb.redirectErrorStream(true);
        pb.redirectOutput(attempt == 1 ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process p = pb.start();
            running.add(p);
            return new Started(rank, attempt, p, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker process: " + e.getMessage(), e);
        }
    }

    /** The worker's one-line error, from the end of its log. */
    private static String lastError(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                int at = line.indexOf(" - ");
                if (line.contains("ERROR") && at >= 0) {
                    return line.substring(at + 3);
                }
            }
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "see " + log;
        }
    }
}
