package io.dataparallel.core.format;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The regular files of a tar archive held in memory: ustar headers in 512-byte blocks, GNU long
 * names ({@code ././@LongLink}, type {@code L}) and base-256 sizes, and pax extended headers (type
 * {@code x}: {@code path} and {@code size}). Directories, links and other entries are skipped, as
 * webdataset does. A member's data is where it lies in the archive: nothing is copied.
 */
final class TarIndex {
    private static final int BLOCK = 512;

    private TarIndex() {
    }

    /**
     * One regular file.
     *
     * @param path   its path in the archive
     * @param offset where its data starts
     * @param size   its size in bytes
     */
    record Member(String path, int offset, int size) {
        ByteBuffer data(ByteBuffer tar) {
            return tar.duplicate().position(tar.position() + offset).limit(tar.position() + offset + size).slice();
        }
    }

    /** Every regular file of {@code tar}, in archive order; a damaged or truncated archive fails whole. */
    static List<Member> members(ByteBuffer tar) {
        List<Member> members = new ArrayList<>();
        int n = tar.remaining();
        long pos = 0;
        String longName = null;
        Map<String, String> pax = Map.of();
        while (pos + BLOCK <= n) {
            int at = (int) pos;
            if (zeros(tar, at)) {
                return members; // end of archive (two zero blocks; one is accepted, as Python's tarfile does)
            }
            checkSum(tar, at);
            long size = pax.containsKey("size") ? parsePaxSize(pax.get("size"), at) : size(tar, at);
            long dataStart = pos + BLOCK;
            byte type = tar.get(tar.position() + at + 156);
            String name = longName != null ? longName : pax.containsKey("path") ? pax.get("path") : ustarName(tar, at);
            if (dataStart + size > n) {
                throw new PartitionFormatException("is truncated: member '" + name + "' needs " + size + " bytes from byte "
                        + dataStart + ", but the file ends at byte " + n);
            }
            ByteBuffer data = tar.duplicate().position(tar.position() + (int) dataStart).limit(tar.position() + (int) (dataStart + size)).slice();
            switch (type) {
                case 'L' -> longName = cString(data);
                case 'x' -> pax = paxRecords(data, at);
                case 'K', 'g' -> {
                    // a long link target, or pax defaults for every later member: neither names a file
                }
                default -> {
                    if (type == '0' || type == 0 || type == '7') {
                        members.add(new Member(name, (int) dataStart, (int) size));
                    }
                    longName = null;
                    pax = Map.of();
                }
            }
            pos = dataStart + (size + BLOCK - 1) / BLOCK * BLOCK;
        }
        if (pos < n) {
            throw new PartitionFormatException("is truncated: it ends " + (n - pos) + " bytes into a 512-byte tar header at byte " + pos);
        }
        return members;
    }

    private static boolean zeros(ByteBuffer tar, int at) {
        for (int i = 0; i < BLOCK; i++) {
            if (tar.get(tar.position() + at + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The header's checksum: the sum of its bytes with the checksum field read as spaces; of signed
     * bytes too, as some old tar programs summed them (Python's tarfile accepts both).
     */
    private static void checkSum(ByteBuffer tar, int at) {
        long stored = octal(tar, at + 148, 8, at, "checksum");
        long sum = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : tar.get(tar.position() + at + i);
            sum += b & 0xff;
            signed += b;
        }
        if (sum != stored && signed != stored) {
            throw new PartitionFormatException("has a damaged tar header at byte " + at + " (checksum " + stored
                    + ", the header sums to " + sum + ")");
        }
    }

    /** The size field: octal, or base-256 (GNU, for sizes past 8 GiB) when its first byte's top bit is set. */
    private static long size(ByteBuffer tar, int at) {
        int field = tar.position() + at + 124;
        if ((tar.get(field) & 0x80) != 0) {
            long v = tar.get(field) & 0x7f;
            for (int i = 1; i < 12; i++) {
                v = (v << 8) | (tar.get(field + i) & 0xff);
            }
            return checkSize(v, at);
        }
        return checkSize(octal(tar, at + 124, 12, at, "size"), at);
    }

    private static long checkSize(long size, int at) {
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new PartitionFormatException("has a tar member of " + size + " bytes (header at byte " + at
                    + "); split the shard below 2 GiB");
        }
        return size;
    }

    private static long octal(ByteBuffer tar, int offset, int length, int at, String field) {
        long v = 0;
        boolean digits = false;
        for (int i = 0; i < length; i++) {
            int c = tar.get(tar.position() + offset + i);
            if (c >= '0' && c <= '7') {
                v = v * 8 + (c - '0');
                digits = true;
            } else if (c == 0 || c == ' ') {
                if (digits) {
                    break;
                }
            } else {
                throw new PartitionFormatException("has a damaged tar header at byte " + at + " (its " + field
                        + " field is not an octal number)");
            }
        }
        return v;
    }

    /** ustar's name, with its prefix field where the header is POSIX ustar (GNU headers use those bytes otherwise). */
    private static String ustarName(ByteBuffer tar, int at) {
        String name = text(tar, at, 100);
        boolean posix = text(tar, at + 257, 6).equals("ustar") && tar.get(tar.position() + at + 262) == 0;
        String prefix = posix ? text(tar, at + 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String text(ByteBuffer tar, int offset, int length) {
        byte[] b = new byte[length];
        tar.get(tar.position() + offset, b);
        int end = 0;
        while (end < length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private static String cString(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(0, b);
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** pax records, each {@code "<length> <key>=<value>\n"}, the length counting the whole record. */
    private static Map<String, String> paxRecords(ByteBuffer data, int at) {
        byte[] b = new byte[data.remaining()];
        data.get(0, b);
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < b.length && b[i] != 0) {
            int space = i;
            while (space < b.length && b[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(b, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length <= space - i || i + length > b.length) {
                throw new PartitionFormatException("has a damaged pax header at byte " + at);
            }
            String record = new String(b, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                out.put(record.substring(0, eq), record.substring(eq + 1));
            }
            i += length;
        }
        return out;
    }

    private static long parsePaxSize(String value, int at) {
        try {
            return checkSize(Long.parseLong(value.trim()), at);
        } catch (NumberFormatException e) {
            throw new PartitionFormatException("has a damaged pax header at byte " + at + " (size '" + value + "')");
        }
    }
}
