package io.dataparallel.core.format;

import static io.dataparallel.core.format.FormatFixtures.assertMatchesReference;
import static io.dataparallel.core.format.FormatFixtures.open;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Hdf5ReaderTest {
    @Test
    void datasetsEqualH5pys() {
        assertMatchesReference("hdf5/basic.h5");
    }

    @Test
    void filteredAndPartialChunksEqualH5pys() {
        // gzip_shuffle in whole-row chunks takes the reader's own inflate path; lzf, lz4, bitshuffle, fletcher32 and
        // chunks that split a row go through jhdf
        assertMatchesReference("hdf5/filters.h5");
    }

    @Test
    void gzipChunksOfEveryWidthEqualH5pys() {
        // float32, float64, int16 and uint8 under shuffle, gzip alone, edge chunks and a chunk never written (zeros)
        assertMatchesReference("hdf5/gzip_rows.h5");
    }

    @Test
    void aDamagedGzipChunkNamesTheDatasetAndRow() {
        var e = assertThrows(PartitionFormatException.class, () -> open("hdf5/gzip_damaged.h5").read("f32_shuffle"));
        assertTrue(e.getMessage().startsWith("dataset 'f32_shuffle' cannot be decoded (the gzip chunk at row 4 "), e.getMessage());
        assertTrue(e.getMessage().endsWith("): the file is damaged or truncated"), e.getMessage());
    }
}
