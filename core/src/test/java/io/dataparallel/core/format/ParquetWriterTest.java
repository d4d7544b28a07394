package io.dataparallel.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the writer makes reads back through the project's own Parquet reader as the same arrays: every dtype,
 * as a scalar column and as list columns of 2-D and 3-D rows, empty lists, no rows, several row groups.
 * (ParquetWriterPandasTest reads the same files with pyarrow and pandas.)
 */
class ParquetWriterTest {
    /** {@code rows × perRow} values of {@code dtype} that differ from element to element, with each type's edges. */
    static NpyArray array(String name, DType dtype, long... shape) {
        int n = Math.toIntExact(NpyArray.elementCount(shape));
        ByteBuffer b = ByteBuffer.allocate(n * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            long v = i % 5 == 4 ? -1 : i * 37L + 3; // -1: all bits set, the sign and the unsigned top
            switch (dtype) {
                case FLOAT16 -> b.putShort((short) (0x3c00 + i)); // 1.0 and up
                case FLOAT32 -> b.putFloat(i * 0.25f - 3);
                case FLOAT64 -> b.putDouble(i * 1e-3 - 7);
                case INT8, UINT8 -> b.put((byte) v);
                case INT16, UINT16 -> b.putShort((short) (v * 911));
                case INT32, UINT32 -> b.putInt((int) (v * 1_000_003));
                case INT64, UINT64 -> b.putLong(v * 1_000_000_007L);
                case BOOL -> b.put((byte) (i % 3 == 0 ? 1 : 0));
            }
        }
        return new NpyArray(name, dtype, shape, b.flip());
    }

    static Map<String, NpyArray> readBack(byte[] file) {
        PartitionFile f = new ParquetReader().open("p.parquet", ByteBuffer.wrap(file));
        Map<String, NpyArray> out = new java.util.LinkedHashMap<>();
        for (ArrayInfo info : f.arrays()) {
            out.put(info.name(), f.read(info.name()));
        }
        return out;
    }

    static void assertSame(List<NpyArray> want, Map<String, NpyArray> got) {
        assertEquals(want.stream().map(NpyArray::name).toList(), List.copyOf(got.keySet()), "columns in order");
        for (NpyArray w : want) {
            NpyArray g = got.get(w.name());
            assertEquals(w.dtype(), g.dtype(), w.name() + " dtype");
            assertArrayEquals(w.shape(), g.shape(), w.name() + " shape");
            assertEquals(w.data(), g.data(), w.name() + " values");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyDtypeAsAScalarAndAsListColumns(DType dtype) {
        List<NpyArray> arrays = List.of(array("scalar", dtype, 11), array("vector", dtype, 11, 3),
                array("image", dtype, 11, 2, 4), array("single", dtype, 11, 1), array("long", dtype, 11, 100));
        assertSame(arrays, readBack(ParquetWriter.toBytes(arrays)));
    }

    @Test
    void outputsThenKeptColumnsOfMixedTypesListedWithTheirShapes() {
        List<NpyArray> arrays = List.of(array("logits", DType.FLOAT32, 7, 10), array("embedding", DType.FLOAT16, 7, 4, 4),
                array("id", DType.INT64, 7), array("flag", DType.BOOL, 7), array("band", DType.UINT8, 7, 5));
        byte[] file = ParquetWriter.toBytes(arrays);
        PartitionFile f = new ParquetReader().open("p.parquet", ByteBuffer.wrap(file));
        assertArrayEquals(new long[] {7, 4, 4}, f.find("embedding").shape(), "the row shape from the file's metadata");
        assertEquals(DType.UINT8, f.find("band").dtype());
        ParquetFooter footer = ParquetFooter.parse(ByteBuffer.wrap(file));
        assertEquals("[4,4]", footer.keyValues().get("dataparallel.shape.embedding"));
        assertEquals("[]", footer.keyValues().get("dataparallel.shape.id"));
        assertEquals(1, footer.rowGroups().size());
        assertSame(arrays, readBack(file));
    }

    @Test
    void rowGroupsOfBoundedSizeReadBackAsOneColumn() {
        List<NpyArray> arrays = List.of(array("x", DType.FLOAT64, 1000, 3), array("k", DType.BOOL, 1000), array("i", DType.INT16, 1000));
        byte[] file = ParquetWriter.toBytes(arrays, 1000); // about 30 rows a group
        assertTrue(ParquetFooter.parse(ByteBuffer.wrap(file)).rowGroups().size() > 20);
        assertSame(arrays, readBack(file));
    }

    @Test
    void noRowsAndEmptyRows() {
        List<NpyArray> none = List.of(array("x", DType.FLOAT32, 0), array("v", DType.INT32, 0, 3));
        assertSame(none, readBack(ParquetWriter.toBytes(none)));
        List<NpyArray> empty = List.of(array("x", DType.FLOAT32, 4), array("nothing", DType.FLOAT32, 4, 0));
        Map<String, NpyArray> got = readBack(ParquetWriter.toBytes(empty));
        assertArrayEquals(new long[] {4, 0}, got.get("nothing").shape());
        assertEquals(empty.get(0).data(), got.get("x").data());
    }

    @Test
    void arraysOverPartOfABufferOrADirectOneWriteTheirOwnValues() {
        NpyArray a = array("a", DType.FLOAT32, 6, 2);
        ByteBuffer bigger = ByteBuffer.allocate(100);
        bigger.position(40);
        ByteBuffer inside = bigger.slice().put(a.data().duplicate()).flip(); // an array offset of 40, as a member of a read .npz has
        ByteBuffer direct = ByteBuffer.allocateDirect(48).put(a.data().duplicate()).flip();
        List<NpyArray> arrays = List.of(new NpyArray("inside", DType.FLOAT32, a.shape(), inside),
                new NpyArray("direct", DType.FLOAT32, a.shape(), direct));
        Map<String, NpyArray> got = readBack(ParquetWriter.toBytes(arrays));
        assertEquals(a.data(), got.get("inside").data());
        assertEquals(a.data(), got.get("direct").data());
    }

    @Test
    void theSameArraysMakeTheSameBytes() {
        List<NpyArray> arrays = new ArrayList<>(List.of(array("a", DType.FLOAT32, 9, 2), array("b", DType.UINT16, 9)));
        assertArrayEquals(ParquetWriter.toBytes(arrays), ParquetWriter.toBytes(List.copyOf(arrays)));
    }

    @Test
    void columnsOfDifferentRowsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParquetWriter.toBytes(List.of(array("a", DType.FLOAT32, 9), array("b", DType.FLOAT32, 8))));
        assertEquals("array 'b' has 8 rows where 'a' has 9: the columns of a Parquet file have one row each per sample", e.getMessage());
    }
}
