package io.dataparallel.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The committed files of make_format_fixtures.py and their references ({@code <file>.ref.npz}, as Python read them). */
final class FormatFixtures {
    static final Path ROOT = Path.of("src/test/resources/formats");

    private FormatFixtures() {
    }

    /** The file's bytes in a direct buffer, as the worker hands a downloaded partition over. */
    static ByteBuffer load(String relative) {
        try {
            byte[] b = Files.readAllBytes(ROOT.resolve(relative));
            return ByteBuffer.allocateDirect(b.length).put(b).flip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a fixture through the format its key names, magic bytes checked first, as the worker does. */
    static PartitionFile open(String relative) {
        String key = Path.of(relative).getFileName().toString();
        PartitionFormat format = PartitionFormat.ofKey(key).orElseThrow();
        ByteBuffer file = load(relative);
        format.checkMagic(key, file);
        return format.reader().open(key, file);
    }

    static Map<String, NpyArray> reference(String relative) {
        return Npz.read(ROOT.resolve(relative + ".ref.npz"), null);
    }

    /** Every reference array equals the reader's: dtype, shape and bytes, and arrays() says the same dtype and shape. */
    static void assertMatchesReference(String relative) {
        assertMatchesReference(relative, relative);
    }

    /** {@link #assertMatchesReference(String)} against another file's reference (a gzipped copy's). */
    static void assertMatchesReference(String relative, String referenceOf) {
        PartitionFile file = open(relative);
        Map<String, NpyArray> ref = reference(referenceOf);
        assertTrue(ref.size() > 0, "the reference of " + relative + " is empty");
        for (Map.Entry<String, NpyArray> e : ref.entrySet()) {
            String name = e.getKey();
            NpyArray want = e.getValue();
            NpyArray got = file.read(name);
            String what = relative + " " + name;
            assertEquals(want.dtype(), got.dtype(), what + " dtype");
            assertArrayEquals(want.shape(), got.shape(), what + " shape");
            assertEquals(want.data(), got.data(), what + " bytes");
            ArrayInfo info = file.find(name);
            assertNotNull(info, what + " is not listed");
            assertEquals(want.dtype(), info.dtype(), what + " listed dtype");
            assertArrayEquals(want.shape(), info.shape(), what + " listed shape");
        }
    }
}
