package io.dataparallel.core.format;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The formats a partition may have, told by its key's extension and checked by the file's first
 * bytes. Keys with any other extension are not partitions.
 */
public enum PartitionFormat {
    NPZ(".npz", List.of(".npz")),
    HDF5("HDF5", List.of(".h5", ".hdf5")),
    FITS("FITS", List.of(".fits", ".fit", ".fits.gz")),
    PARQUET("Parquet", List.of(".parquet")),
    WEBDATASET("WebDataset", List.of(".tar"));

    private final String title;
    private final List<String> extensions;

    PartitionFormat(String title, List<String> extensions) {
        this.title = title;
        this.extensions = extensions;
    }

    /** The format's name in messages, e.g. {@code FITS}. */
    public String title() {
        return title;
    }

    public List<String> extensions() {
        return extensions;
    }

    /** Every extension that makes a key a partition, for messages. */
    public static List<String> allExtensions() {
        return List.of(values()).stream().flatMap(f -> f.extensions.stream()).toList();
    }

    /** The format a key's extension names (case-insensitive), or empty when the key is not a partition. */
    public static Optional<PartitionFormat> ofKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (PartitionFormat f : values()) {
            for (String e : f.extensions) {
                if (k.endsWith(e) && k.length() > e.length() && k.charAt(k.length() - e.length() - 1) != '/') {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a key of this format is a whole-file gzip stream ({@code .fits.gz}). */
    static boolean gzipped(String key) {
        return key.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /** The reader of this format. */
    public FormatReader reader() {
        return switch (this) {
            case NPZ -> new NpzReader();
            case HDF5 -> new Hdf5Reader();
            case FITS -> new FitsReader();
            case WEBDATASET -> new WebDatasetReader();
            case PARQUET -> new ParquetReader();
        };
    }

    /**
     * Checks that {@code file} starts as this format's files do; the message says what it looks
     * like instead, so a misnamed file is reported as such rather than as a damaged one.
     */
    public void checkMagic(String key, ByteBuffer file) {
        PartitionFormat seen = sniff(file);
        boolean gz = isGzip(file);
        boolean ok = switch (this) {
            case FITS -> gzipped(key) ? gz : seen == FITS;
            default -> seen == this;
        };
        if (!ok) {
            String found = file.remaining() == 0 ? "the file is empty"
                    : gz ? "it starts as a gzip stream" + (this == FITS ? "; name it .fits.gz" : "")
                    : seen != null ? "it starts as a " + seen.title + " file; rename it to " + seen.extensions.get(0)
                    : "its first bytes are " + hex(file, 8);
            throw new PartitionFormatException("is not a " + title + " file (" + found + ")");
        }
    }

    /** The format {@code file}'s first bytes say, or null. */
    static PartitionFormat sniff(ByteBuffer file) {
        ByteBuffer b = file.duplicate();
        int n = b.remaining();
        if (startsWith(b, new byte[] {'P', 'K', 3, 4}) || startsWith(b, new byte[] {'P', 'K', 5, 6})) {
            return NPZ;
        }
        if (startsWith(b, new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'})) {
            return HDF5;
        }
        if (startsWith(b, "SIMPLE  =".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            return FITS;
        }
        if (startsWith(b, new byte[] {'P', 'A', 'R', '1'})) {
            return PARQUET;
        }
        if (n >= 263 && b.get(b.position() + 257) == 'u' && b.get(b.position() + 258) == 's' && b.get(b.position() + 259) == 't'
                && b.get(b.position() + 260) == 'a' && b.get(b.position() + 261) == 'r') {
            return WEBDATASET;
        }
        return null;
    }

    static boolean isGzip(ByteBuffer file) {
        return startsWith(file, new byte[] {0x1f, (byte) 0x8b});
    }

    private static boolean startsWith(ByteBuffer b, byte[] prefix) {
        if (b.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.get(b.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(ByteBuffer b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.remaining()); i++) {
            s.append(String.format("%02x", b.get(b.position() + i) & 0xff));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return title;
    }
}
