package io.dataparallel.api.launch;

import java.util.Optional;

/**
 * How one rank ended in a {@link WorkerLaunch#SLOT} process: what a pod's exit code says on a
 * cluster, said on one marked line of the slot's output because the process goes on with the
 * next rank. The line is the contract between the slot and the local pool, which reads it out
 * of the same stream as the worker's log lines.
 *
 * @param rank     the rank that ended
 * @param exitCode its {@link WorkerExit} code
 * @param error    the one-line reason when it failed, else null
 */
public record RankExit(int rank, int exitCode, String error) {
    /** Starts the line: no log line starts like this (they start with a time). */
    public static final String MARK = "##dataparallel rank-exit ";

    /** The line a slot prints: {@code ##dataparallel rank-exit <rank> <code> [error]}, the error on one line. */
    public String line() {
        String reason = error == null ? "" : " " + error.replaceAll("[\\r\\n]+", " ").strip();
        return MARK + rank + " " + exitCode + reason;
    }

    /** The rank exit a line reports, or empty for any other line (the worker's log). */
    public static Optional<RankExit> parse(String line) {
        if (!line.startsWith(MARK)) {
            return Optional.empty();
        }
        String[] parts = line.substring(MARK.length()).split(" ", 3);
        try {
            int rank = Integer.parseInt(parts[0]);
            int code = Integer.parseInt(parts[1]);
            return Optional.of(new RankExit(rank, code, parts.length > 2 && !parts[2].isBlank() ? parts[2] : null));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }
}
