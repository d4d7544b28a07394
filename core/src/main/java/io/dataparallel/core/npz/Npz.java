package io.dataparallel.core.npz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes numpy {@code .npz} archives (plain and compressed) without numpy. Reading
 * works on the archive in memory: only the arrays asked for are decoded, and an uncompressed
 * array is a slice of the archive rather than a copy.
 */
public final class Npz {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    /** The names of the arrays in an archive, in archive order. */
    public static List<String> names(ByteBuffer archive) {
        List<String> names = new ArrayList<>();
        for (ZipIndex.Entry e : ZipIndex.entries(archive)) {
            if (e.name().endsWith(".npy")) {
                names.add(e.name().substring(0, e.name().length() - 4));
            }
        }
        return names;
    }

    /**
     * Decodes the arrays named in {@code wanted} (all when null) from an archive in memory.
     * Arrays of stored (uncompressed) entries are slices of {@code archive}: no copy between a
     * downloaded partition and the tensors made from it, as long as {@code archive} is direct.
     */
    public static Map<String, NpyArray> read(ByteBuffer archive, Set<String> wanted) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        for (ZipIndex.Entry e : ZipIndex.entries(archive)) {
            if (!e.name().endsWith(".npy")) {
                continue;
            }
            String name = e.name().substring(0, e.name().length() - 4);
            if (wanted == null || wanted.contains(name)) {
                out.put(name, readNpy(name, ZipIndex.data(archive, e)));
            }
        }
        return out;
    }

    /** {@link #read(ByteBuffer, Set)} of a file, mapped into memory. */
    public static Map<String, NpyArray> read(Path file, Set<String> wanted) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), wanted);
        } catch (IOException e) {
            throw new NpzFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@link #read(ByteBuffer, Set)} of an archive held in a byte array (predictions, quality data). */
    public static Map<String, NpyArray> read(byte[] archive) {
        return read(ByteBuffer.wrap(archive), null);
    }

    /**
     * Where the first array's data starts in an archive whose beginning is {@code head}, or -1
     * when that cannot be told from it (compressed, or not an npz). numpy.savez writes arrays
     * in argument order, so this is usually the first and largest input: a download placed so
     * that it lands aligned needs no copy ({@link io.dataparallel.core.s3.ObjectStore#getDirect}).
     */
    public static int firstArrayData(ByteBuffer head) {
        ByteBuffer b = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 30 || b.getInt(0) != 0x04034b50 || b.getShort(8) != 0) {
            return -1; // not a zip local header, or not STORED
        }
        int npy = 30 + Short.toUnsignedInt(b.getShort(26)) + Short.toUnsignedInt(b.getShort(28));
        if (b.remaining() < npy + 12 || b.get(npy) != MAGIC[0] || b.get(npy + 1) != MAGIC[1]) {
            return -1;
        }
        int major = Byte.toUnsignedInt(b.get(npy + 6));
        return major == 1 ? npy + 10 + Short.toUnsignedInt(b.getShort(npy + 8))
                : major == 2 || major == 3 ? npy + 12 + b.getInt(npy + 8) : -1;
    }

    /** Reads one {@code .npy} held in {@code npy}; the data is a slice of it when its alignment allows. */
    static NpyArray readNpy(String name, ByteBuffer npy) {
        ByteBuffer b = npy.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 10) {
            throw new NpzFormatException("array '" + name + "' is not in .npy format (too short)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                throw new NpzFormatException("array '" + name + "' is not in .npy format");
            }
        }
        int major = Byte.toUnsignedInt(b.get(6));
        int headerStart;
        int headerLength;
        if (major == 1) {
            headerStart = 10;
            headerLength = Short.toUnsignedInt(b.getShort(8));
        } else if (major == 2 || major == 3) {
            headerStart = 12;
            headerLength = b.getInt(8);
        } else {
            throw new NpzFormatException("array '" + name + "' uses .npy format version " + major + ", which is not supported");
        }
        if (headerStart + headerLength > b.limit()) {
            throw new NpzFormatException("array '" + name + "' has a damaged .npy header");
        }
        byte[] headerBytes = new byte[headerLength];
        b.get(headerStart, headerBytes);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name, "descr");
        boolean bigEndian = descr.startsWith(">");
        DType dtype = DType.fromDescriptor(bigEndian ? "<" + descr.substring(1) : descr);
        if (dtype == null) {
            throw new NpzFormatException("array '" + name + "' has dtype '" + descr
                    + "', which is not numeric: store numbers (float32, float64, int64, ...)");
        }
        if (group(FORTRAN, header, name, "fortran_order").equals("True")) {
            throw new NpzFormatException("array '" + name + "' is stored in Fortran order: save it with np.ascontiguousarray");
        }
        long[] shape = parseShape(group(SHAPE, header, name, "shape"));
        long bytes = NpyArray.elementCount(shape) * dtype.bytes();
        int dataStart = headerStart + headerLength;
        if (bytes > Integer.MAX_VALUE) {
            throw new NpzFormatException("array '" + name + "' is " + bytes + " bytes; split the partition below 2 GiB per array");
        }
        if (dataStart + bytes > b.limit()) {
            throw new NpzFormatException("array '" + name + "' is truncated: shape " + shapeText(shape)
                    + " needs " + bytes + " bytes, found " + (b.limit() - dataStart));
        }
        ByteBuffer data = b.position(dataStart).limit(dataStart + (int) bytes).slice();
        boolean aligned = !data.isDirect() || data.alignmentOffset(0, dtype.bytes()) == 0;
        if (bigEndian && dtype.bytes() > 1 || !aligned) {
            // a copy only where the bytes cannot be used as they are: swapped, or misaligned for the element type
            ByteBuffer copy = data.isDirect() ? ByteBuffer.allocateDirect((int) bytes) : ByteBuffer.allocate((int) bytes);
            copy.put(data.duplicate()).flip();
            if (bigEndian && dtype.bytes() > 1) {
                swap(copy, dtype.bytes());
            }
            data = copy;
        }
        return new NpyArray(name, dtype, shape, data);
    }

    private static String group(Pattern p, String header, String name, String what) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new NpzFormatException("array '" + name + "' has a damaged .npy header (no " + what + ")");
        }
        return m.group(1);
    }

    private static long[] parseShape(String text) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                dims.add(Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static String shapeText(long[] shape) {
        return new NpyArray("", DType.UINT8, shape, ByteBuffer.allocate((int) NpyArray.elementCount(shape))).shapeText();
    }

    private static void swap(ByteBuffer data, int width) {
        for (int i = 0; i < data.limit(); i += width) {
            for (int a = i, b = i + width - 1; a < b; a++, b--) {
                byte t = data.get(a);
                data.put(a, data.get(b));
                data.put(b, t);
            }
        }
    }

    /** Writes {@code arrays} as an uncompressed {@code .npz} that numpy reads. */
    public static void write(OutputStream out, List<NpyArray> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (NpyArray a : arrays) {
            byte[] npy = toNpy(a);
            CRC32 crc = new CRC32();
            crc.update(npy);
            ZipEntry entry = new ZipEntry(a.name() + ".npy");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(npy.length);
            entry.setCompressedSize(npy.length);
            entry.setCrc(crc.getValue());
            // a fixed time keeps the archive a function of its arrays: a rerun writes identical bytes
            entry.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));
            zip.putNextEntry(entry);
            zip.write(npy);
            zip.closeEntry();
        }
        zip.finish();
    }

    /** {@link #write} into a byte array. */
    public static byte[] toBytes(List<NpyArray> arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, arrays);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static byte[] toNpy(NpyArray a) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < a.shape().length; i++) {
            shape.append(i == 0 ? "" : ", ").append(a.shape()[i]);
        }
        shape.append(a.shape().length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + a.dtype().descriptor() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer data = a.data().duplicate();
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        out.put(data);
        return out.array();
    }
}
