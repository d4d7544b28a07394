package io.dataparallel.core.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nom.tam.fits.Header;
import nom.tam.util.ByteBufferInputStream;
import nom.tam.util.FitsInputStream;

/**
 * Walks a FITS file's HDUs (headers parsed by nom-tam-fits) and says where each one's data lies, so
 * that data is read straight from the file's buffer rather than through nom-tam's per-element arrays.
 */
final class FitsHdus {
    static final int BLOCK = 2880;
    private static final int CARD = 80;

    private FitsHdus() {
    }

    /**
     * One header-data unit.
     *
     * @param index      its position in the file, 0 for the primary HDU (astropy's {@code hdul[index]})
     * @param header     its header
     * @param dataOffset where its data starts in the file
     * @param dataBytes  its data's size without the padding to 2880 bytes
     */
    record Hdu(int index, Header header, int dataOffset, long dataBytes) {
        String extname() {
            String n = header.getStringValue("EXTNAME");
            return n == null || n.isBlank() ? null : n.trim();
        }

        /** {@code HDU 2 (EXTNAME=FLUX)}, as {@code where} and messages say it. */
        String label() {
            String n = extname();
            return "HDU " + index + (n != null ? " (EXTNAME=" + n + ")" : index == 0 ? " (primary)" : "");
        }
    }

    /** Every HDU of {@code file}, which starts with {@code SIMPLE}; a truncated or damaged file fails whole. */
    static List<Hdu> index(ByteBuffer file) {
        List<Hdu> hdus = new ArrayList<>();
        int pos = 0;
        int size = file.remaining();
        while (pos < size && (hdus.isEmpty() || startsWith(file, pos, "XTENSION="))) {
            int index = hdus.size();
            int headerBytes = headerBytes(file, pos, index);
            Header header = parse(file, pos, headerBytes, index);
            long dataBytes;
            try {
                dataBytes = dataBytes(header, index);
            } catch (ArithmeticException e) {
                throw new PartitionFormatException("has a damaged header in HDU " + index + " (its axes multiply past 2^63 bytes)", e);
            }
            long dataOffset = (long) pos + headerBytes;
            Hdu hdu = new Hdu(index, header, (int) dataOffset, dataBytes);
            if (dataOffset + dataBytes > size) {
                throw new PartitionFormatException("is truncated: " + hdu.label() + " needs " + dataBytes
                        + " bytes of data from byte " + dataOffset + ", but the file ends at byte " + size);
            }
            hdus.add(hdu);
            long next = dataOffset + padded(dataBytes);
            if (next > Integer.MAX_VALUE) {
                throw new PartitionFormatException("is over 2 GiB; split the partition");
            }
            pos = (int) next;
        }
        // astropy, too, ignores what follows the last HDU unless it starts another (zeros, padding)
        return List.copyOf(hdus);
    }

    /** The header's size in bytes, whole 2880-byte blocks up to its END card. */
    private static int headerBytes(ByteBuffer file, int start, int index) {
        int size = file.remaining();
        for (int card = start; card + CARD <= size; card += CARD) {
            if (startsWith(file, card, "END") && blank(file, card + 3, CARD - 3)) {
                long end = padded(card + CARD - start);
                if (start + end > size) {
                    // a header's last block may be short only if nothing follows; astropy reads it too
                    return size - start;
                }
                return (int) end;
            }
        }
        throw new PartitionFormatException("is truncated: the header of HDU " + index + " (from byte " + start
                + ") has no END card before the file ends at byte " + size);
    }

    private static Header parse(ByteBuffer file, int start, int bytes, int index) {
        ByteBuffer slice = file.duplicate().position(file.position() + start).limit(file.position() + start + bytes).slice();
        try {
            return Header.readHeader(new FitsInputStream(new ByteBufferInputStream(slice)));
        } catch (IOException | RuntimeException e) {
            throw new PartitionFormatException("has a damaged header in HDU " + index + " (" + e.getMessage() + ")", e);
        }
    }

    /** |BITPIX|/8 × GCOUNT × (PCOUNT + NAXIS1 × … × NAXISn), NAXIS1 left out for random groups. */
    private static long dataBytes(Header h, int index) {
        int bitpix = h.getIntValue("BITPIX", 0);
        int naxis = h.getIntValue("NAXIS", -1);
        if (bitpix == 0 || naxis < 0 || naxis > 999) {
            throw new PartitionFormatException("has a damaged header in HDU " + index + " (BITPIX " + bitpix
                    + ", NAXIS " + naxis + ")");
        }
        if (naxis == 0) {
            return 0;
        }
        boolean groups = h.getBooleanValue("GROUPS", false) && h.getIntValue("NAXIS1", -1) == 0;
        long n = 1;
        for (int i = groups ? 2 : 1; i <= naxis; i++) {
            long d = h.getLongValue("NAXIS" + i, -1);
            if (d < 0) {
                throw new PartitionFormatException("has a damaged header in HDU " + index + " (NAXIS" + i + " is "
                        + (d == -1 ? "missing" : d) + ")");
            }
            n = Math.multiplyExact(n, d);
        }
        long pcount = h.getLongValue("PCOUNT", 0);
        long gcount = h.getLongValue("GCOUNT", 1);
        return Math.multiplyExact(Math.abs(bitpix) / 8L, Math.multiplyExact(gcount, n + pcount));
    }

    static long padded(long bytes) {
        return (bytes + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean startsWith(ByteBuffer b, int at, String text) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        if (at + t.length > b.remaining()) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (b.get(b.position() + at + i) != t[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean blank(ByteBuffer b, int at, int n) {
        for (int i = 0; i < n; i++) {
            if (b.get(b.position() + at + i) != ' ') {
                return false;
            }
        }
        return true;
    }
}
