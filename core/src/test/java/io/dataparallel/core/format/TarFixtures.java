package io.dataparallel.core.format;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small ustar archives built in the test, for cases the committed shards do not cover. */
final class TarFixtures {
    private TarFixtures() {
    }

    record Entry(String name, byte[] data) {
        static Entry text(String name, String text) {
            return new Entry(name, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A POSIX ustar archive of {@code entries}, ended by two zero blocks. */
    static ByteBuffer tar(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] h = new byte[512];
            put(h, 0, e.name());
            put(h, 100, "0000644");
            put(h, 108, "0000000");
            put(h, 116, "0000000");
            put(h, 124, String.format("%011o", e.data().length));
            put(h, 136, "00000000000");
            h[156] = '0';
            put(h, 257, "ustar");
            put(h, 263, "00");
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(e.data());
            out.writeBytes(new byte[(512 - e.data().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return ByteBuffer.wrap(out.toByteArray());
    }

    /** One array as a {@code .npy} file's bytes, taken from an {@code .npz} of it (no second writer of the format). */
    static byte[] npy(NpyArray a) {
        ByteBuffer zip = ByteBuffer.wrap(Npz.toBytes(List.of(a)));
        // a stored zip entry: the local header is 30 bytes plus the name and extra field; the data runs to the central directory
        zip.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int start = 30 + Short.toUnsignedInt(zip.getShort(26)) + Short.toUnsignedInt(zip.getShort(28));
        byte[] b = new byte[zip.getInt(18)];
        zip.get(start, b);
        return b;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
