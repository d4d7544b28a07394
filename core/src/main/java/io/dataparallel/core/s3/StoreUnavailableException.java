package io.dataparallel.core.s3;

/**
 * The store could not be reached or kept failing after retries (connection refused, 5xx,
 * timeouts). Unlike a bad input this may pass on its own, so a worker exits with a
 * retryable code and the operator requeues.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
