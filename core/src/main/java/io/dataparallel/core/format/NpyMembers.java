package io.dataparallel.core.format;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.npz.NpzFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Parses {@code .npy} members with core's own {@code .npy} reader ({@link Npz}), so a shard's arrays
 * follow the same dtype, order and error rules as an {@code .npz} partition's. That reader takes whole
 * archives only, so the members are put in one uncompressed in-memory zip first (a copy, but no
 * second parser of the format).
 */
final class NpyMembers {
    private NpyMembers() {
    }

    /** Each member's array, by member path, in the order given. */
    static Map<String, NpyArray> parse(List<String> paths, List<ByteBuffer> members) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < paths.size(); i++) {
                byte[] npy = new byte[members.get(i).remaining()];
                members.get(i).duplicate().get(npy);
                CRC32 crc = new CRC32();
                crc.update(npy);
                ZipEntry e = new ZipEntry(paths.get(i) + ".npy");
                e.setMethod(ZipEntry.STORED);
                e.setSize(npy.length);
                e.setCompressedSize(npy.length);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(npy);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        try {
            return Npz.read(ByteBuffer.wrap(bytes.toByteArray()), null);
        } catch (NpzFormatException e) {
            throw new PartitionFormatException(e.getMessage().replace("array '", "member '"), e);
        }
    }
}
