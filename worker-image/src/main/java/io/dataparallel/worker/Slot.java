package io.dataparallel.worker;

import io.dataparallel.api.launch.RankExit;
import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code slot} command: one of local mode's worker processes, running ranks one after
 * another so that the JVM, libtorch and the model start once per process instead of once per
 * rank. Each rank number read from the input runs exactly as a pod's {@code worker} command
 * with RANK set to it (same environment otherwise, same results, progress and predictions),
 * then a {@link RankExit} line says how it ended. End of input ends the slot. So does a
 * retryable failure: its retry gets a fresh process, as a retried pod gets a fresh container,
 * so whatever state the failure left (a broken engine, a full heap) cannot spoil the next rank.
 */
final class Slot {
    private static final Logger LOG = LoggerFactory.getLogger(Slot.class);

    private final Map<String, String> env;
    private final long processStartedMs;

    /**
     * @param env              the environment of every rank, RANK aside
     * @param processStartedMs when the JVM started: the first rank's start, so its end to end includes start-up
     */
    Slot(Map<String, String> env, long processStartedMs) {
        this.env = env;
        this.processStartedMs = processStartedMs;
    }

    /** Runs the ranks {@code in} names, reporting each on {@code out}; returns the process exit code. */
    int serve(InputStream in, PrintStream out) {
        BufferedReader ranks = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        boolean first = true;
        try (ModelCache models = ModelCache.forSlot()) {
            for (String line = ranks.readLine(); line != null; line = ranks.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                // the first rank started with the JVM; a later one starts when it is read, start-up long paid
                long startedMs = first ? processStartedMs : System.currentTimeMillis();
                first = false;
                String rank = line.strip();
                Map<String, String> rankEnv = new HashMap<>(env);
                rankEnv.put(WorkerLaunch.RANK, rank);
                WorkerMain.Ending ending = WorkerMain.run(WorkerLaunch.WORKER, rankEnv, startedMs, models);
                out.println(new RankExit(rankNumber(rank), ending.exitCode(), ending.error()).line());
                out.flush();
                if (WorkerExit.of(ending.exitCode()).retryable()) {
                    return WorkerExit.OK.code(); // the rank's outcome is reported; the pool starts a fresh slot for its retry
                }
            }
            return WorkerExit.OK.code();
        } catch (IOException e) {
            LOG.error("cannot read the next rank from the pool: {}", e.getMessage());
            return WorkerExit.RETRY.code();
        }
    }

    /** The rank as reported back; a line that is not a number failed in WorkerEnv already, as RANK: -1 names no rank. */
    private static int rankNumber(String rank) {
        try {
            return Integer.parseInt(rank);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
