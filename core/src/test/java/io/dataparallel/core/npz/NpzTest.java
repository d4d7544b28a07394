package io.dataparallel.core.npz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by numpy (committed, made with numpy 1.24) read back exactly; what we write reads back too. */
class NpzTest {
    @TempDir
    Path tmp;

    static Path resource(String name) {
        return Path.of("src/test/resources/npz", name);
    }

    @Test
    void readsNumpyCompressedArchivesOfEveryCommonType() {
        Map<String, NpyArray> arrays = Npz.read(resource("compressed.npz"), null);
        assertEquals(List.of("a", "i", "b", "h"), List.copyOf(arrays.keySet()));
        NpyArray a = arrays.get("a");
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(new long[] {2, 3, 4}, a.shape());
        assertEquals(23.0, a.toDoubles()[23]);
        assertTrue(a.data().isDirect());
        assertArrayEquals(new double[] {1, -2, 3}, arrays.get("i").toDoubles());
        assertArrayEquals(new double[] {1, 0}, arrays.get("b").toDoubles());
        assertArrayEquals(new double[] {1.5, -0.25}, arrays.get("h").toDoubles());
    }

    @Test
    void decodesOnlyTheArraysAskedFor() throws Exception {
        assertEquals(Set.of("i"), Npz.read(resource("compressed.npz"), Set.of("i")).keySet());
        assertEquals(List.of("a", "i", "b", "h"), Npz.names(ByteBuffer.wrap(Files.readAllBytes(resource("compressed.npz")))));
    }

    @Test
    void swapsBigEndianData() {
        Map<String, NpyArray> arrays = Npz.read(resource("bigendian.npz"), null);
        assertArrayEquals(new double[] {1, 2, 3}, arrays.get("x").toDoubles());
        assertArrayEquals(new double[] {7, 8}, arrays.get("y").toDoubles());
    }

    @Test
    void refusesWhatItCannotUseWithTheFix() {
        NpzFormatException fortran = assertThrows(NpzFormatException.class, () -> Npz.read(resource("fortran.npz"), null));
        assertTrue(fortran.getMessage().contains("np.ascontiguousarray"));
        NpzFormatException objects = assertThrows(NpzFormatException.class, () -> Npz.read(resource("objects.npz"), null));
        assertTrue(objects.getMessage().contains("not numeric"));
    }

    @Test
    void refusesFilesThatAreNotArchives() throws Exception {
        Path junk = Files.write(tmp.resolve("junk.npz"), "hello".getBytes());
        assertThrows(NpzFormatException.class, () -> Npz.read(junk, null));
        byte[] whole = Files.readAllBytes(resource("compressed.npz"));
        Path truncated = Files.write(tmp.resolve("cut.npz"), Arrays.copyOf(whole, whole.length / 2));
        assertThrows(NpzFormatException.class, () -> Npz.read(truncated, null));
    }

    @Test
    void writesWhatItReads() {
        NpyArray f = NpyArray.ofFloats("pred", new long[] {2, 2}, new float[] {1, 2, Float.NaN, 4});
        NpyArray empty = NpyArray.ofFloats("none", new long[] {0}, new float[0]);
        Map<String, NpyArray> back = Npz.read(Npz.toBytes(List.of(f, empty)));
        assertEquals(List.of("pred", "none"), List.copyOf(back.keySet()));
        assertArrayEquals(new long[] {2, 2}, back.get("pred").shape());
        assertTrue(Double.isNaN(back.get("pred").toDoubles()[2]));
        assertEquals(0, back.get("none").rows());
    }
}
