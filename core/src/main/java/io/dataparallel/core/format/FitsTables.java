package io.dataparallel.core.format;

import io.dataparallel.core.format.FitsHdus.Hdu;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nom.tam.fits.Header;

/**
 * Binary-table columns ({@code XTENSION = 'BINTABLE'}): one array per numeric column, gathered from
 * the rows in bulk. A scalar column ({@code E}, {@code 1J}) is [N], a vector column ({@code 5E}) is
 * [N, 5], and one with {@code TDIMn = '(3,2)'} is [N, 2, 3], as astropy returns them; {@code L}
 * becomes bool and {@code X} bits bool [N, bits]. Strings, complex numbers and variable-length
 * arrays are listed as not inputs.
 */
final class FitsTables {
    private static final Pattern TFORM = Pattern.compile("\\s*(\\d*)([LXBIJKAEDCMPQ])(.*)");
    private static final Pattern TDIM = Pattern.compile("\\s*\\(([\\d\\s,]+)\\)\\s*");

    private FitsTables() {
    }

    /** One entry per column, named by TTYPEn ({@code col<n>} where it has none). */
    static List<FitsArray> columns(Hdu hdu, ByteBuffer file) {
        Header h = hdu.header();
        int fields = h.getIntValue("TFIELDS", 0);
        long rowBytes = h.getLongValue("NAXIS1", 0);
        long rows = h.getLongValue("NAXIS2", 0);
        List<FitsArray> out = new ArrayList<>();
        long offset = 0;
        for (int c = 1; c <= fields; c++) {
            String ttype = h.getStringValue("TTYPE" + c);
            String name = ttype == null || ttype.isBlank() ? "col" + c : ttype.trim();
            String tform = h.getStringValue("TFORM" + c);
            Matcher m = tform == null ? null : TFORM.matcher(tform.trim());
            String where = hdu.label() + ", binary table column " + c + " (" + (tform == null ? "no TFORM" : tform.trim()) + ")";
            if (m == null || !m.matches()) {
                return List.of(FitsArray.unsupported(name, where, "a column format this reader does not know: the table header is damaged"));
            }
            long repeat = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
            char code = m.group(2).charAt(0);
            out.add(column(h, c, name, where, code, repeat, new Layout(hdu.dataOffset(), rowBytes, rows, offset), file));
            offset += width(code, repeat);
        }
        if (offset != rowBytes) {
            String why = "its columns add up to " + offset + " bytes a row but NAXIS1 says " + rowBytes + ": the header is damaged";
            return out.stream().map(a -> FitsArray.unsupported(a.info().name(), a.info().where(), why)).toList();
        }
        return out;
    }

    /** Where a column lies: the table's first byte, its row size and count, and the column's offset in a row. */
    private record Layout(long start, long rowBytes, long rows, long offset) {
    }

    private static FitsArray column(Header h, int c, String name, String where, char code, long repeat, Layout at, ByteBuffer file) {
        String not = switch (code) {
            case 'A' -> "a string column (" + repeat + "A), not numbers";
            case 'C', 'M' -> "a complex-number column, which no model input takes: store real and imaginary parts as two columns";
            case 'P', 'Q' -> "a variable-length array column: rows differ in length; store fixed-length vectors (e.g. 5E)";
            default -> repeat == 0 ? "an empty column (repeat count 0)" : null;
        };
        if (not != null) {
            return FitsArray.unsupported(name, where, not);
        }
        if (code == 'X') {
            long[] shape = {at.rows(), repeat};
            return new FitsArray(ArrayInfo.of(name, DType.BOOL, shape, where), n -> bits(n, file, at, repeat));
        }
        DType raw = switch (code) {
            case 'L' -> DType.BOOL;
            case 'B' -> DType.UINT8;
            case 'I' -> DType.INT16;
            case 'J' -> DType.INT32;
            case 'K' -> DType.INT64;
            case 'E' -> DType.FLOAT32;
            default -> DType.FLOAT64; // 'D'
        };
        long[] cell = cellShape(h.getStringValue("TDIM" + c), repeat);
        long[] shape = new long[cell.length + 1];
        shape[0] = at.rows();
        System.arraycopy(cell, 0, shape, 1, cell.length);
        FitsScaling scaling = FitsScaling.column(raw, h.getDoubleValue("TSCAL" + c, 1), h.getDoubleValue("TZERO" + c, 0));
        long items = NpyArray.elementCount(cell);
        return new FitsArray(ArrayInfo.of(name, scaling.decoded(), shape, where), n -> {
            ByteBuffer gathered = gather(file, at, items * raw.bytes(), n);
            if (raw == DType.BOOL) {
                for (int i = 0; i < gathered.limit(); i++) {
                    gathered.put(i, (byte) (gathered.get(i) == 'T' ? 1 : 0)); // astropy: True where 'T'
                }
            }
            return scaling.apply(n, shape, gathered.order(ByteOrder.BIG_ENDIAN));
        });
    }

    /**
     * A cell's shape: [] for one value, [repeat] for a vector, TDIM's axes reversed (numpy's order)
     * where they fit in the repeat count; astropy ignores a TDIM that asks for more, and so does this.
     */
    private static long[] cellShape(String tdim, long repeat) {
        Matcher m = tdim == null ? null : TDIM.matcher(tdim);
        if (m != null && m.matches()) {
            String[] parts = m.group(1).split(",");
            long[] dims = new long[parts.length];
            long product = 1;
            for (int i = 0; i < parts.length; i++) {
                dims[parts.length - 1 - i] = Long.parseLong(parts[i].trim());
                product *= dims[parts.length - 1 - i];
            }
            if (product <= repeat) {
                return dims;
            }
        }
        return repeat == 1 ? new long[0] : new long[] {repeat};
    }

    /** A column's cells, row after row, in one heap buffer (a bulk copy per row). */
    private static ByteBuffer gather(ByteBuffer file, Layout at, long cellBytes, String name) {
        ByteBuffer out = Buffers.allocate(at.rows() * cellBytes, "column '" + name + "'");
        byte[] row = new byte[(int) cellBytes];
        int base = file.position() + (int) (at.start() + at.offset());
        for (long r = 0; r < at.rows(); r++) {
            file.get((int) (base + r * at.rowBytes()), row);
            out.put(row);
        }
        return out.flip();
    }

    /** An X column: bits, the first the most significant of its byte, as astropy unpacks them. */
    private static NpyArray bits(String name, ByteBuffer file, Layout at, long count) {
        ByteBuffer packed = gather(file, at, (count + 7) / 8, name);
        int bytesPerRow = (int) ((count + 7) / 8);
        ByteBuffer out = Buffers.allocate(at.rows() * count, "column '" + name + "'");
        for (long r = 0; r < at.rows(); r++) {
            for (int j = 0; j < count; j++) {
                int b = packed.get((int) (r * bytesPerRow + j / 8));
                out.put((byte) ((b >> (7 - j % 8)) & 1));
            }
        }
        return new NpyArray(name, DType.BOOL, new long[] {at.rows(), count}, out.flip());
    }

    /** A column's bytes in a row. */
    private static long width(char code, long repeat) {
        return switch (code) {
            case 'X' -> (repeat + 7) / 8;
            case 'L', 'B', 'A' -> repeat;
            case 'I' -> 2 * repeat;
            case 'J', 'E' -> 4 * repeat;
            case 'K', 'D', 'C' -> 8 * repeat;
            case 'M' -> 16 * repeat;
            case 'P' -> 8L * Math.min(repeat, 1);
            default -> 16L * Math.min(repeat, 1); // 'Q'
        };
    }
}
