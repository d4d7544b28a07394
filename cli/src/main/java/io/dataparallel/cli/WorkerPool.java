package io.dataparallel.cli;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerExit;
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
import java.util.concurrent.TimeUnit;

/**
 * Runs the ranks of a plan on this machine like the pods of an Indexed Job, in {@code parallel}
 * worker processes ("slots") that each load libtorch and the model once and then run rank after
 * rank, a free slot taking the next rank (the work balances as a Job's parallelism does). Each
 * rank runs as a pod would, with RANK and WORLD_SIZE; a rank that ends with a retryable code
 * ({@link WorkerExit}) runs again up to {@code retries} times (backoffLimitPerIndex), in a fresh
 * slot, and exit code 3 fails the rank at once (the podFailurePolicy) while its slot goes on
 * with other ranks. A slot that dies (a crash, a kill, out of memory) fails the rank it was
 * running as retryable, and a new slot takes its place. Logs go to one file per rank. With a
 * deadline ({@code spec.timeout}) the workers still running at it are stopped, like the Job
 * controller at activeDeadlineSeconds, and ranks not started do not start.
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
    /** The exit code a rank gets when Ctrl-C stopped it or kept it from starting (a shell's for SIGINT). */
    static final int STOPPED = 130;
    /**
     * Environment variable: how many ranks one worker process runs before it ends; unset means
     * no limit. {@code 1} is one process per rank, start-up paid by every rank: for comparison
     * (the local-mode benchmark), as {@code DATAPARALLEL_OVERLAP=false} is for the worker.
     */
    static final String RANKS_PER_PROCESS = "DATAPARALLEL_RANKS_PER_PROCESS";
    /** How long a stopped worker has to exit on its own, like a pod's terminationGracePeriodSeconds. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final int ranksPerProcess;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean timedOut;
    private volatile boolean stopped;

    /** @param ranksPerProcess how many ranks a worker process runs before it ends ({@link Integer#MAX_VALUE}: no limit) */
    WorkerPool(int ranksPerProcess) {
        this.ranksPerProcess = ranksPerProcess;
    }

    /** A pool whose processes run as many ranks as {@link #RANKS_PER_PROCESS} says (no limit when unset). */
    static WorkerPool fromEnvironment(Map<String, String> env) {
        String limit = env.get(RANKS_PER_PROCESS);
        try {
            return new WorkerPool(limit == null || limit.isBlank() ? Integer.MAX_VALUE : Math.max(1, Integer.parseInt(limit.trim())));
        } catch (NumberFormatException e) {
            throw new BadInputException(RANKS_PER_PROCESS, "'" + limit + "' is not a number: unset it, or set 1 for one"
                    + " worker process per rank");
        }
    }

    /** Stops every worker (Ctrl-C): a rerun resumes from the predictions already written. */
    void stopAll() {
        stopped = true;
        running.forEach(Process::destroy);
    }

    /** Whether the deadline stopped workers or kept ranks from starting. */
    boolean timedOut() {
        return timedOut;
    }

    /**
     * Runs ranks 0..worldSize-1 to the end; returns how each ended, by rank (none when worldSize is 0).
     *
     * @param deadline when to stop the workers still running ({@code spec.timeout} from now), or null for never
     */
    List<Outcome> run(int worldSize, int parallel, int retries, Map<String, String> baseEnv, Path logs, Instant deadline)
            throws InterruptedException {
        Deque<SlotProcess.Attempt> queue = new ArrayDeque<>();
        for (int r = 0; r < worldSize; r++) {
            queue.add(new SlotProcess.Attempt(r, 1));
        }
        Outcome[] outcomes = new Outcome[worldSize];
        List<SlotProcess> slots = new ArrayList<>();
        int started = 0;
        while (!(queue.isEmpty() || stopped) || slots.stream().anyMatch(s -> s.current() != null)) {
            if (!stopped) {
                for (SlotProcess s : slots) {
                    if (!queue.isEmpty() && s.idle()) {
                        s.assign(queue.poll());
                    }
                }
                while (slots.size() < parallel && !queue.isEmpty()) {
                    SlotProcess s = SlotProcess.start(started++, worldSize, baseEnv, logs);
                    running.add(s.process());
                    s.assign(queue.poll());
                    slots.add(s);
                }
            }
            Thread.sleep(50);
            if (deadline != null && Instant.now().isAfter(deadline) && !timedOut) {
                timedOut = true;
                queue.forEach(q -> outcomes[q.rank()] = new Outcome(q.rank(), TIMED_OUT, q.attempt() - 1, "not started before spec.timeout"));
                queue.clear();
                stopAll(); // the ranks they were running are settled below, as the loop sees them end
            }
            if (timedOut && Instant.now().isAfter(deadline.plus(GRACE))) {
                running.forEach(Process::destroyForcibly); // as the kubelet after the grace period
            }
            for (SlotProcess s : List.copyOf(slots)) {
                boolean ended = s.ended(); // before its last exits are read: none can follow once it has ended
                for (SlotProcess.Finished f = s.nextFinished(); f != null; f = s.nextFinished()) {
                    settle(f.attempt(), f.exit().exitCode(), f.exit().error(), queue, outcomes, retries);
                }
                if (ended) {
                    slots.remove(s);
                    running.remove(s.process());
                    SlotProcess.Attempt lost = s.current();
                    if (lost != null) {
                        int code = s.exitCode();
                        settle(lost, WorkerExit.of(code).retryable() ? code : WorkerExit.RETRY.code(),
                                "the worker process ended (exit " + code + ") while it ran this rank: see " + s.log(lost.rank()),
                                queue, outcomes, retries);
                    }
                } else if (s.idle() && s.ranksTaken() >= ranksPerProcess) {
                    s.finish();
                }
            }
        }
        queue.forEach(q -> outcomes[q.rank()] = new Outcome(q.rank(), STOPPED, q.attempt() - 1, "stopped before it started"));
        finish(slots);
        return List.of(outcomes);
    }

    /** Records how an attempt at a rank ended, or queues the next attempt. */
    private void settle(SlotProcess.Attempt a, int code, String error, Deque<SlotProcess.Attempt> queue, Outcome[] outcomes,
                        int retries) {
        int rank = a.rank();
        int attempt = a.attempt();
        boolean ok = code == WorkerExit.OK.code();
        if (timedOut) {
            outcomes[rank] = new Outcome(rank, ok ? code : TIMED_OUT, attempt, ok ? null : "stopped at spec.timeout");
        } else if (stopped && !ok) {
            outcomes[rank] = new Outcome(rank, STOPPED, attempt, "stopped");
        } else if (WorkerExit.of(code).retryable() && attempt <= retries) {
            queue.add(new SlotProcess.Attempt(rank, attempt + 1));
        } else {
            outcomes[rank] = new Outcome(rank, code, attempt, ok ? null : error);
        }
    }

    /** Ends the slots waiting for a rank (end of input) and waits briefly for them to exit. */
    private void finish(List<SlotProcess> slots) throws InterruptedException {
        slots.forEach(SlotProcess::finish);
        for (SlotProcess s : slots) {
            if (!s.process().waitFor(10, TimeUnit.SECONDS)) {
                s.process().destroyForcibly();
            }
            running.remove(s.process());
        }
    }
}
