package io.dataparallel.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Files written by pyarrow (made by make_format_fixtures.py, committed) decode to the arrays pyarrow
 * reads from them, byte for byte: each codec, dictionary and plain pages, data pages V1 and V2,
 * DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT, several row groups and pages, lists; bad input fails
 * with a message naming what was found.
 */
class ParquetReaderTest {
    static Path resource(String name) {
        return Path.of("src/test/resources/formats/parquet", name);
    }

    static ByteBuffer bytes(String name) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(resource(name)));
    }

    /** Opened as the worker opens a partition: a direct buffer, through its key's format, magic bytes checked. */
    static PartitionFile open(String name) {
        return FormatFixtures.open("parquet/" + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zstd", "gzip", "none", "lz4", "v2_plain", "v2_dictionary", "v2_uncompressed",
        "byte_stream_split", "delta", "delta_wide", "dictionary_wide", "lists", "lists_v2_item", "unsupported", "empty", "pandas",
        "legacy_lists"})
    void everyColumnEqualsWhatPyarrowReads(String name) {
        FormatFixtures.assertMatchesReference("parquet/" + name + ".parquet");
    }

    @Test
    void aHeapBufferReadsAsADirectOneDoes() throws IOException {
        // pages of a heap buffer decompress from its own array, of a direct one from a copy: both the same
        for (String name : List.of("snappy", "gzip", "zstd", "lz4", "v2_plain")) {
            PartitionFile heap = new ParquetReader().open("p.parquet", bytes(name + ".parquet"));
            for (NpyArray want : FormatFixtures.reference("parquet/" + name + ".parquet").values()) {
                assertEquals(want.data(), heap.read(want.name()).data(), name + " " + want.name());
            }
        }
    }

    @Test
    void typesAndShapesAsNumpyNamesThem() throws IOException {
        PartitionFile file = open("snappy.parquet");
        assertEquals(DType.INT8, file.read("i8").dtype());
        assertEquals(DType.UINT64, file.read("u64").dtype());
        assertEquals(DType.FLOAT16, file.read("f16").dtype());
        assertEquals(DType.BOOL, file.read("flag").dtype());
        assertArrayEquals(new long[] {37, 4}, file.read("vec").shape());
        assertArrayEquals(new long[] {37, 3}, file.read("lst").shape());
        assertArrayEquals(new long[] {37}, file.read("req").shape());
        assertTrue(file.read("x").data().isDirect());
    }

    @Test
    void listsEveryColumnWithWhyTheUnsupportedOnesAreNotInputs() throws IOException {
        List<ArrayInfo> arrays = open("zstd.parquet").arrays();
        assertEquals(List.of("x", "y", "id", "k", "i8", "u8", "i16", "u16", "u32", "u64", "f16", "flag", "vec", "lst", "label",
                "name", "nullable", "ragged", "req"), arrays.stream().map(ArrayInfo::name).toList());
        ArrayInfo name = open("zstd.parquet").find("name");
        assertEquals("a string column", name.unsupported());
        ArrayInfo vec = open("zstd.parquet").find("vec");
        assertEquals(DType.FLOAT32, vec.dtype());
        assertArrayEquals(new long[] {37, 4}, vec.shape());
        assertEquals("vec float32 (37, 4) at column vec.list.element", vec.describe());
        // nullable has nulls but is still listed as numbers: only reading it as an input fails
        assertEquals(DType.FLOAT64, open("zstd.parquet").find("nullable").dtype());
        assertTrue(open("zstd.parquet").find("ragged").unsupported().contains("differ in length"));
        assertNull(open("zstd.parquet").find("nope"));
    }

    @Test
    void whatIsNotNumbersIsListedWithWhatItIs() throws IOException {
        PartitionFile file = open("unsupported.parquet");
        Map<String, String> why = new java.util.LinkedHashMap<>();
        for (ArrayInfo a : file.arrays()) {
            why.put(a.name(), a.unsupported());
        }
        Map<String, String> want = new java.util.LinkedHashMap<>();
        want.put("x", null);
        want.put("blob", "a binary column");
        want.put("day", "a date column");
        want.put("when", "a timestamp column");
        want.put("price", "a decimal column");
        want.put("point", "a struct column (nested fields)");
        want.put("tags", "a map column");
        want.put("grid", "a list of lists");
        want.put("strings", "a list column of strings");
        assertEquals(want, why);
        var e = assertThrows(PartitionFormatException.class, () -> file.read("point"));
        assertTrue(e.getMessage().startsWith("column 'point' is a struct column (nested fields), not numbers"), e.getMessage());
    }

    @Test
    void listsWithNullsOrEmptyRowsAreRefusedByName() throws IOException {
        PartitionFile file = open("lists.parquet");
        var e = assertThrows(PartitionFormatException.class, () -> file.read("with_empty"));
        assertTrue(e.getMessage().contains("column 'with_empty' is a list column whose rows differ in length (row 0 has 2 values, "
                + "row 5 has 0)"), e.getMessage());
        e = assertThrows(PartitionFormatException.class, () -> file.read("null_row"));
        assertTrue(e.getMessage().startsWith("column 'null_row' has 1 null row in its 37"), e.getMessage());
        e = assertThrows(PartitionFormatException.class, () -> file.read("null_element"));
        assertTrue(e.getMessage().startsWith("column 'null_element' has 1 null element in its lists"), e.getMessage());
    }

    @Test
    void anEmptyFileHasNoRows() throws IOException {
        PartitionFile file = open("empty.parquet");
        assertArrayEquals(new long[] {0}, file.read("x").shape());
        assertArrayEquals(new long[] {0, 0}, file.read("vec").shape());
    }

    @Test
    void readsAFileThatIsPartOfALargerBuffer() throws IOException {
        byte[] whole = Files.readAllBytes(resource("v2_dictionary.parquet"));
        byte[] padded = new byte[whole.length + 13];
        System.arraycopy(whole, 0, padded, 5, whole.length);
        ByteBuffer slice = ByteBuffer.wrap(padded, 5, whole.length);
        NpyArray got = new ParquetReader().open("p.parquet", slice).read("lst");
        assertEquals(open("v2_dictionary.parquet").read("lst").data(), got.data());
    }

    @Test
    void aStringColumnIsNoInput() throws IOException {
        var e = assertThrows(PartitionFormatException.class, () -> open("snappy.parquet").read("name"));
        assertTrue(e.getMessage().contains("column 'name' is a string column"), e.getMessage());
    }

    @Test
    void nullsInAnInputAreCountedAndNamed() throws IOException {
        for (String f : List.of("snappy.parquet", "v2_plain.parquet")) {
            var e = assertThrows(PartitionFormatException.class, () -> open(f).read("nullable"));
            assertTrue(e.getMessage().startsWith("column 'nullable' has 2 nulls in its 37 rows"), e.getMessage());
            assertTrue(e.getMessage().contains("fillna"), e.getMessage());
        }
    }

    @Test
    void raggedListsNameTheColumnAndTwoLengths() throws IOException {
        var e = assertThrows(PartitionFormatException.class, () -> open("gzip.parquet").read("ragged"));
        assertTrue(e.getMessage().contains("column 'ragged' is a list column whose rows differ in length (row 0 has 1 values, row 1 has 2)"),
                e.getMessage());
    }

    @Test
    void aMissingColumnListsTheColumnsThereAre() throws IOException {
        var e = assertThrows(PartitionFormatException.class, () -> open("snappy.parquet").read("flux"));
        assertTrue(e.getMessage().startsWith("has no column 'flux' (its columns: x, y, id, k,"), e.getMessage());
        assertTrue(e.getMessage().endsWith("ragged, req)"), e.getMessage());
    }

    @Test
    void aTruncatedFileSaysSo() throws IOException {
        ByteBuffer whole = bytes("snappy.parquet");
        for (int keep : new int[] {whole.remaining() - 1, whole.remaining() / 2, 8, 4}) {
            ByteBuffer cut = whole.duplicate().limit(keep);
            var e = assertThrows(PartitionFormatException.class, () -> new ParquetReader().open("p.parquet", cut));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void aBadFooterMagicSaysSo() throws IOException {
        ByteBuffer b = bytes("none.parquet");
        b.put(b.limit() - 1, (byte) 'X');
        var e = assertThrows(PartitionFormatException.class, () -> new ParquetReader().open("p.parquet", b));
        assertTrue(e.getMessage().contains("does not end with the Parquet magic PAR1"), e.getMessage());
        b.put(b.limit() - 1, (byte) 'E');
        e = assertThrows(PartitionFormatException.class, () -> new ParquetReader().open("p.parquet", b));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    }

    /**
     * Damaged files (bytes overwritten at random, some cut short; seeded) either read or fail with a message of
     * the checks themselves: never another exception, and never only the catch-all that wraps one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"snappy", "v2_plain", "delta", "gzip", "lists", "byte_stream_split", "dictionary_wide"})
    void damagedFilesFailWithTheReadersOwnMessages(String name) throws IOException {
        byte[] whole = Files.readAllBytes(resource(name + ".parquet"));
        java.util.Random random = new java.util.Random(name.hashCode());
        int failed = 0;
        for (int round = 0; round < 400; round++) {
            byte[] b = whole.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(10) == 0 ? random.nextInt(b.length) : b.length;
            try {
                PartitionFile file = new ParquetReader().open("p.parquet", ByteBuffer.wrap(b, 0, length));
                for (ArrayInfo a : file.arrays()) {
                    if (a.readable()) {
                        file.read(a.name());
                    }
                }
            } catch (PartitionFormatException e) {
                failed++;
                assertFalse(e.getMessage().startsWith("cannot be read as Parquet"), () -> "unchecked: " + e.getCause());
            }
        }
        assertTrue(failed > 0);
    }
}
