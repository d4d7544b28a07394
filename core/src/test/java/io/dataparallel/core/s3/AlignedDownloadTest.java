package io.dataparallel.core.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A partition lands in memory with its first array on a 64-byte boundary, so it needs no copy to reach libtorch. */
class AlignedDownloadTest {
    @TempDir
    Path tmp;

    @Test
    void theFirstArrayLandsAlignedWhateverItsOffsetInTheArchive() {
        try (S3Fixture s3 = new S3Fixture(tmp); ObjectStore store = s3.store()) {
            s3.createBucket("data");
            // names of different lengths move the array's offset in the archive by one byte each
            for (String name : List.of("x", "xy", "xyz", "xyzw", "images_with_a_long_name")) {
                ByteBuffer values = ByteBuffer.allocate(4 * 1000).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 1000; i++) {
                    values.putFloat(i * 0.5f);
                }
                byte[] archive = Npz.toBytes(List.of(new NpyArray(name, DType.FLOAT32, new long[] {1000}, values.flip()),
                        new NpyArray("m", DType.FLOAT32, new long[] {3}, ByteBuffer.allocate(12))));
                S3Uri uri = new S3Uri("data", name + ".npz");
                s3.put(uri.toString(), archive);
                ObjectStore.Fetched fetched = store.getDirect(uri, "spec.data.uri", Npz::firstArrayData);
                assertEquals(archive.length, fetched.data().remaining());
                assertEquals(ByteBuffer.wrap(archive), fetched.data(), "the bytes are the object's");
                Map<String, NpyArray> arrays = Npz.read(fetched.data(), null);
                ByteBuffer data = arrays.get(name).data();
                assertEquals(0, data.alignmentOffset(0, 64), name + ": the array starts on a 64-byte boundary");
                assertTrue(data.isDirect());
                assertEquals(999 * 0.5f, data.order(ByteOrder.LITTLE_ENDIAN).getFloat(999 * 4));
            }
        }
    }

    @Test
    void objectsThatAreNotStoredNpzAreReadAsTheyAre() {
        try (S3Fixture s3 = new S3Fixture(tmp); ObjectStore store = s3.store()) {
            s3.createBucket("data");
            byte[] text = "not an archive".getBytes(StandardCharsets.UTF_8);
            s3.put("s3://data/t.txt", text);
            assertEquals(-1, Npz.firstArrayData(ByteBuffer.wrap(text)));
            assertEquals(ByteBuffer.wrap(text), store.getDirect(new S3Uri("data", "t.txt"), "spec.data.uri", Npz::firstArrayData).data());
            s3.put("s3://data/empty", new byte[0]);
            assertEquals(0, store.getDirect(new S3Uri("data", "empty"), "spec.data.uri", Npz::firstArrayData).data().remaining());
        }
    }
}
