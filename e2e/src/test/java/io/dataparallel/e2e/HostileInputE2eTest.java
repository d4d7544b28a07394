package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.example.CaiDataGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hostile input on the cluster path: partition keys with spaces, unicode, {@code %},
 * {@code +} and a very long key run like any other (a prediction under the same key), and an
 * npz whose header claims a huge shape fails alone, refused before anything is allocated.
 */
class HostileInputE2eTest {
    static final List<String> KEYS = List.of("with space/part 1.npz", "ünïcode-π-δεδομένα.npz", "100%+plus=sign&amp.npz",
            ("l".repeat(200) + "/").repeat(3) + "long-key.npz");

    @Test
    void oddKeysRunLikeAnyOtherAndAnAllocationBombFailsAlone() {
        String ns = E2e.namespace("hostile");
        E2e.exampleData("e2e", ns, 0, 0);
        for (int i = 0; i < KEYS.size(); i++) {
            put(ns, KEYS.get(i), CaiDataGenerator.partition(2026, i, 50));
        }
        put(ns, "zz-bomb.npz", bomb());
        E2e.apply(E2e.manifest(ns, "odd", "e2e", ns, 3, "maxFailedWorkers: 1"));
        InferenceJob done = Invariants.of(ns, "odd").fault("odd keys and an allocation bomb").expect(Phase.Succeeded)
                .within(Duration.ofMinutes(5)).check().job();
        assertEquals(4, done.getStatus().partitionsDone(), () -> "status: " + done.getStatus());
        List<FailedPartition> failed = done.getStatus().failedPartitions();
        assertEquals(1, failed.size(), failed::toString);
        assertEquals("zz-bomb.npz", failed.get(0).partition());
        assertTrue(failed.get(0).reason().contains("array 'images' is 20480000000000000 bytes; split the partition"), failed.get(0).reason());
        for (String key : KEYS) {
            assertTrue(E2e.store().head(new S3Uri("e2e", ns + "/out/odd/predictions/" + key), "out").isPresent(), "prediction of " + key);
        }
    }

    private static void put(String ns, String key, byte[] bytes) {
        E2e.store().put(new S3Uri("e2e", ns + "/data/" + key), bytes, "application/octet-stream", Map.of(), false, "data");
    }

    /** A small npz whose images header claims 10^12 samples: 20 PB if anyone believed it. */
    static byte[] bomb() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            entry(zip, "images.npy", "(1000000000000, " + CaiDataGenerator.BANDS + ", 32, 32)", 4096);
            entry(zip, "magnitudes.npy", "(4, " + CaiDataGenerator.BANDS + ")", 4 * CaiDataGenerator.BANDS * 4);
            entry(zip, "redshift.npy", "(4,)", 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, String shape, int dataBytes) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        zip.putNextEntry(new ZipEntry(name));
        zip.write(b.array());
        zip.closeEntry();
    }
}
