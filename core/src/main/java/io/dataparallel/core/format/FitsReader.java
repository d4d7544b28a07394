package io.dataparallel.core.format;

import io.dataparallel.core.format.FitsHdus.Hdu;
import io.dataparallel.core.npz.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import nom.tam.util.ByteBufferInputStream;

/**
 * FITS ({@code .fits}, {@code .fit}, and {@code .fits.gz} as one gzip stream), headers parsed by
 * nom-tam-fits, data read from the file's bytes in bulk. What an input name means:
 * <ul>
 * <li>an image HDU's {@code EXTNAME} (the primary HDU's too, when it has one); the array's shape is
 *     numpy's, so its first axis, the last {@code NAXIS}, is the sample axis. Tile-compressed images
 *     (Rice, gzip, …, decompressed by nom-tam-fits) are named the same way;</li>
 * <li>{@code PRIMARY} for a primary image without {@code EXTNAME} (astropy's name for it), and
 *     {@code HDU<i>} for an image extension without one ({@code HDU5} is astropy's {@code hdul[5]});</li>
 * <li>a binary-table column's {@code TTYPE} ({@link FitsTables}: scalars [N], vectors [N, n]);</li>
 * <li>a name an earlier HDU already gave: {@code HDU<i>/<name>} for a column, {@code HDU<i>} for an image.</li>
 * </ul>
 * Names match exactly, or regardless of case where only one does (astropy's HDU and column names
 * ignore case). BSCALE/BZERO/BLANK are applied with astropy's dtypes ({@link FitsScaling}).
 */
final class FitsReader implements FormatReader {
    private static final byte[] SIMPLE = "SIMPLE  =".getBytes(StandardCharsets.US_ASCII);

    @Override
    public PartitionFile open(String key, ByteBuffer file) {
        ByteBuffer fits = PartitionFormat.gzipped(key) ? gunzip(file) : file.slice();
        if (!startsWithSimple(fits)) {
            throw new PartitionFormatException(fits.remaining() == 0 ? "holds no FITS data (it is empty)"
                    : "is not a FITS file: it does not start with a SIMPLE card" + (PartitionFormat.gzipped(key) ? " once gunzipped" : ""));
        }
        List<FitsArray> arrays = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Hdu hdu : FitsHdus.index(fits)) {
            for (FitsArray a : entries(hdu, fits)) {
                arrays.add(unique(a, hdu, taken));
            }
        }
        return new FitsFile(List.copyOf(arrays));
    }

    /** What one HDU offers: nothing (no data), one image, or a table's columns. */
    private static List<FitsArray> entries(Hdu hdu, ByteBuffer fits) {
        var h = hdu.header();
        String xtension = hdu.index() == 0 ? "IMAGE" : String.valueOf(h.getStringValue("XTENSION")).trim().toUpperCase(Locale.ROOT);
        String name = hdu.extname() != null ? hdu.extname() : hdu.index() == 0 ? "PRIMARY" : "HDU" + hdu.index();
        return switch (xtension) {
            case "IMAGE" -> h.getIntValue("NAXIS", 0) == 0 ? List.of() : List.of(FitsImages.plain(hdu, fits, name));
            case "BINTABLE" -> h.getBooleanValue("ZIMAGE", false) ? List.of(FitsImages.compressed(hdu, fits, name))
                    : FitsTables.columns(hdu, fits);
            case "TABLE" -> List.of(FitsArray.unsupported(name, hdu.label() + ", ASCII table",
                    "an ASCII table: write it as a binary table (astropy: fits.BinTableHDU.from_columns(hdu.columns))"));
            default -> List.of(FitsArray.unsupported(name, hdu.label() + ", " + xtension + " extension",
                    "an extension of type " + xtension + ", neither an image nor a binary table"));
        };
    }

    /** The entry under a name no earlier entry has: {@code HDU<i>} or {@code HDU<i>/<name>} where it was taken. */
    private static FitsArray unique(FitsArray a, Hdu hdu, Set<String> taken) {
        String name = a.info().name();
        if (taken.contains(name)) {
            name = a.info().where().contains("column") ? "HDU" + hdu.index() + "/" + name : "HDU" + hdu.index();
        }
        String base = name;
        for (int k = 2; taken.contains(name); k++) {
            name = base + "#" + k;
        }
        taken.add(name);
        return name.equals(a.info().name()) ? a : a.named(name);
    }

    private static ByteBuffer gunzip(ByteBuffer file) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteBufferInputStream(file.duplicate()), 1 << 16)) {
            byte[] fits = in.readAllBytes();
            // direct, as a downloaded partition is: the arrays that are slices of it (8-bit images) stay direct
            return Buffers.allocate(fits.length, "the gunzipped file").put(fits).flip();
        } catch (IOException e) {
            throw new PartitionFormatException("is not a readable gzip stream (" + e.getMessage()
                    + "): the .fits.gz file is damaged or truncated", e);
        }
    }

    private static boolean startsWithSimple(ByteBuffer b) {
        if (b.remaining() < SIMPLE.length) {
            return false;
        }
        for (int i = 0; i < SIMPLE.length; i++) {
            if (b.get(b.position() + i) != SIMPLE[i]) {
                return false;
            }
        }
        return true;
    }

    /** An opened FITS file: its arrays by name. */
    private record FitsFile(List<FitsArray> entries) implements PartitionFile {
        @Override
        public List<ArrayInfo> arrays() {
            return entries.stream().map(FitsArray::info).toList();
        }

        @Override
        public ArrayInfo find(String name) {
            FitsArray a = entry(name);
            return a == null ? null : a.info();
        }

        @Override
        public NpyArray read(String name) {
            FitsArray a = entry(name);
            if (a == null) {
                throw new PartitionFormatException("has no HDU or column '" + name + "'; it has: "
                        + (entries.isEmpty() ? "no arrays" : entries.stream().map(e -> e.info().name()).collect(Collectors.joining(", "))));
            }
            if (!a.info().readable()) {
                throw new PartitionFormatException("'" + a.info().name() + "' (" + a.info().where() + ") is "
                        + a.info().unsupported() + "; it cannot be an input");
            }
            return a.decode();
        }

        private FitsArray entry(String name) {
            FitsArray folded = null;
            int foldedCount = 0;
            for (FitsArray a : entries) {
                if (a.info().name().equals(name)) {
                    return a;
                }
                if (a.info().name().equalsIgnoreCase(name)) {
                    folded = a;
                    foldedCount++;
                }
            }
            return foldedCount == 1 ? folded : null;
        }
    }
}
