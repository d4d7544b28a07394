package io.dataparallel.core.format;

import java.nio.ByteBuffer;

/** Opens one partition file of a {@link PartitionFormat}, held whole in a buffer. */
public interface FormatReader {
    /**
     * Indexes {@code file} (its whole content, checked by its magic bytes before) without decoding
     * any array; {@code key} is the partition's key, which may tell the encoding ({@code .fits.gz}).
     *
     * @throws PartitionFormatException when the file cannot be read as this format
     */
    PartitionFile open(String key, ByteBuffer file);
}
