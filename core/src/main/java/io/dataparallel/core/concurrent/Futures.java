package io.dataparallel.core.concurrent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for a task's result with the task's own failure: a {@link java.io.IOException} or a
 * {@code BadInputException} thrown in a pool reaches the caller as itself, not wrapped in an
 * {@link ExecutionException}, so that the code turning failures into status sees the real type.
 */
public final class Futures {
    private Futures() {
    }

    /**
     * The result of {@code future}, or its failure rethrown: unchecked as it was, an IOException as
     * {@link UncheckedIOException}, an Error as itself, anything else wrapped. Interruption keeps the
     * thread's flag and throws {@code IllegalStateException} naming {@code what} was waited for.
     */
    public static <T> T await(Future<T> future, String what) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** The failure a task threw, as an unchecked exception to rethrow. */
    public static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        if (cause instanceof IOException io) {
            return new UncheckedIOException(io);
        }
        return new IllegalStateException(cause);
    }
}
