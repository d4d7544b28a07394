package io.dataparallel.api;

import io.dataparallel.api.launch.WorkerExit;

/**
 * Input a user can fix and that retrying cannot: a bad manifest, a missing array, a
 * corrupt partition, an output owned by another job. The message names the field by its
 * spec path (for example {@code spec.data.fileLimit}) and says what would be valid.
 * Workers exit with {@link WorkerExit#BAD_INPUT} on it so that Kubernetes fails the index at
 * once instead of retrying.
 */
public class BadInputException extends RuntimeException {
    private final String field;

    public BadInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public BadInputException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
    }

    /** The object {@code uri} named by {@code field} is not in the store: one wording everywhere. */
    public static BadInputException missing(String field, Object uri) {
        return new BadInputException(field, uri + " does not exist: upload it or fix the URI");
    }

    /** The spec path (or partition key) the problem is about. */
    public String field() {
        return field;
    }
}
