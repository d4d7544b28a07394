package io.dataparallel.core.npz;

/** A file that is not a readable {@code .npz}, or an array in it that cannot be used. */
public class NpzFormatException extends RuntimeException {
    public NpzFormatException(String message) {
        super(message);
    }

    public NpzFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
