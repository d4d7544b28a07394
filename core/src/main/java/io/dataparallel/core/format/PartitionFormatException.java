package io.dataparallel.core.format;

/**
 * A partition that cannot be read as its format, or an array in it that cannot be decoded; the
 * message says what was found (and, where it helps, the fix), without the partition's key, which the
 * caller adds.
 */
public class PartitionFormatException extends RuntimeException {
    public PartitionFormatException(String message) {
        super(message);
    }

    public PartitionFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
