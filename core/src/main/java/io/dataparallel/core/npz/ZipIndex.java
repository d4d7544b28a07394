package io.dataparallel.core.npz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The entries of a zip archive held in memory, read from its central directory (zip64
 * included: numpy forces it). Stored entries are handed out as slices of the archive, so a
 * partition is never copied between the download and the tensor.
 */
final class ZipIndex {
    static final int STORED = 0;
    static final int DEFLATED = 8;
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final long MAX32 = 0xffffffffL;

    /** One member of the archive. */
    record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset) {
    }

    private ZipIndex() {
    }

    static List<Entry> entries(ByteBuffer zip) {
        ByteBuffer b = zip.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int eocd = findEndOfCentralDirectory(b);
        long count = Short.toUnsignedInt(b.getShort(eocd + 10));
        long cdOffset = Integer.toUnsignedLong(b.getInt(eocd + 16));
        int locator = eocd - 20;
        if (locator >= 0 && b.getInt(locator) == ZIP64_LOCATOR) {
            int z64 = checkedInt(b.getLong(locator + 8), b);
            if (b.getInt(z64) != ZIP64_EOCD) {
                throw new NpzFormatException("not an .npz (zip) archive: damaged zip64 end record");
            }
            count = b.getLong(z64 + 32);
            cdOffset = b.getLong(z64 + 48);
        }
        List<Entry> out = new ArrayList<>();
        int at = checkedInt(cdOffset, b);
        for (long i = 0; i < count; i++) {
            if (at + 46 > b.limit() || b.getInt(at) != CENTRAL) {
                throw new NpzFormatException("not an .npz (zip) archive: damaged central directory");
            }
            int method = Short.toUnsignedInt(b.getShort(at + 10));
            long compressed = Integer.toUnsignedLong(b.getInt(at + 20));
            long size = Integer.toUnsignedLong(b.getInt(at + 24));
            int nameLength = Short.toUnsignedInt(b.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(b.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(b.getShort(at + 32));
            long local = Integer.toUnsignedLong(b.getInt(at + 42));
            byte[] name = new byte[nameLength];
            b.get(at + 46, name);
            // zip64 extra field: the values that did not fit, in this order
            int extra = at + 46 + nameLength;
            for (int e = extra; e + 4 <= extra + extraLength; ) {
                int id = Short.toUnsignedInt(b.getShort(e));
                int len = Short.toUnsignedInt(b.getShort(e + 2));
                if (id == 0x0001) {
                    int p = e + 4;
                    if (size == MAX32) {
                        size = b.getLong(p);
                        p += 8;
                    }
                    if (compressed == MAX32) {
                        compressed = b.getLong(p);
                        p += 8;
                    }
                    if (local == MAX32) {
                        local = b.getLong(p);
                    }
                }
                e += 4 + len;
            }
            out.add(new Entry(new String(name, StandardCharsets.UTF_8), method, compressed, size, local));
            at += 46 + nameLength + extraLength + commentLength;
        }
        return out;
    }

    /** The entry's bytes, uncompressed: a slice of the archive when stored. */
    static ByteBuffer data(ByteBuffer zip, Entry e) {
        ByteBuffer b = zip.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int local = checkedInt(e.localHeaderOffset(), b);
        if (local + 30 > b.limit() || b.getInt(local) != LOCAL) {
            throw new NpzFormatException("not an .npz (zip) archive: damaged entry " + e.name());
        }
        int start = local + 30 + Short.toUnsignedInt(b.getShort(local + 26)) + Short.toUnsignedInt(b.getShort(local + 28));
        int end = checkedInt(start + e.compressedSize(), b);
        ByteBuffer raw = zip.duplicate().position(start).limit(end).slice();
        if (e.method() == STORED) {
            return raw;
        }
        if (e.method() != DEFLATED) {
            throw new NpzFormatException("entry " + e.name() + " uses zip compression method " + e.method()
                    + ": write partitions with numpy.savez or numpy.savez_compressed");
        }
        if (e.size() > Integer.MAX_VALUE) {
            throw new NpzFormatException("entry " + e.name() + " is over 2 GiB: split the partition");
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) e.size());
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(raw);
            while (out.hasRemaining() && !inflater.finished()) {
                if (inflater.inflate(out) == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new NpzFormatException("entry " + e.name() + " is truncated");
                }
            }
        } catch (DataFormatException ex) {
            throw new NpzFormatException("entry " + e.name() + " is damaged: " + ex.getMessage(), ex);
        } finally {
            inflater.end();
        }
        return out.flip();
    }

    private static int findEndOfCentralDirectory(ByteBuffer b) {
        int stop = Math.max(0, b.limit() - 22 - 65_535);
        for (int i = b.limit() - 22; i >= stop; i--) {
            if (b.getInt(i) == EOCD) {
                return i;
            }
        }
        throw new NpzFormatException("not an .npz (zip) archive: no end of central directory"
                + (b.limit() == 0 ? " (the file is empty)" : ""));
    }

    private static int checkedInt(long offset, ByteBuffer b) {
        if (offset < 0 || offset > b.limit()) {
            throw new NpzFormatException("not an .npz (zip) archive: an offset points outside the file (truncated?)");
        }
        return (int) offset;
    }
}
