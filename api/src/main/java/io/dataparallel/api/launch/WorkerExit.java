package io.dataparallel.api.launch;

import io.dataparallel.api.BadInputException;

/**
 * How a worker process ends, by exit code: the contract with the worker Job's
 * podFailurePolicy and with the local pool, which both retry a rank unless it succeeded or
 * failed on bad input. A code not listed here (a crash, a kill) means {@link #RETRY}.
 */
public enum WorkerExit {
    /** The command finished: every partition of the rank is done, or the summary is written. */
    OK(0),
    /** A failure a new attempt may not repeat: the store unavailable, an engine error, anything unexpected. */
    RETRY(1),
    /**
     * Input a user must fix ({@link BadInputException}): the index fails at
     * once (podFailurePolicy FailIndex) instead of spending its retries.
     */
    BAD_INPUT(3);

    private final int code;

    WorkerExit(int code) {
        this.code = code;
    }

    /** The process exit code. */
    public int code() {
        return code;
    }

    /** What {@code code} means; any code other than 0 and 3 is {@link #RETRY}. */
    public static WorkerExit of(int code) {
        for (WorkerExit e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return RETRY;
    }

    /** True when another attempt may succeed. */
    public boolean retryable() {
        return this == RETRY;
    }
}
