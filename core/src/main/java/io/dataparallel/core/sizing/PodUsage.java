package io.dataparallel.core.sizing;

/**
 * One pod as it is billed: what it requested and how long it ran (its wall time, from start to end).
 *
 * @param kind    worker, summarizer or profiling pod
 * @param size    its requests
 * @param seconds its wall time
 */
public record PodUsage(Kind kind, WorkerSize size, double seconds) {
    /** Which pods of a job are billed. */
    public enum Kind { WORKER, SUMMARIZER, PROFILING }

    public PodUsage {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("a pod's wall time must be finite and >= 0: " + seconds);
        }
    }
}
