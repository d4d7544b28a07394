package io.dataparallel.core.format;

import io.dataparallel.core.format.ThriftCompact.Struct;
import io.dataparallel.core.npz.DType;

/**
 * One top-level field of a Parquet schema as an input name sees it: the leaf column that holds its
 * numbers, its levels and the numpy dtype it decodes to, or why it cannot be an input.
 *
 * @param name        the top-level field's name, the input name
 * @param path        the leaf's path in the schema, e.g. {@code vec.list.element}
 * @param leaf        the leaf's index among all leaves: its column chunk in each row group
 * @param physical    the leaf's physical type ({@link #BOOLEAN} … {@link #FIXED_LEN_BYTE_ARRAY})
 * @param typeLength  bytes of a {@code FIXED_LEN_BYTE_ARRAY} value
 * @param maxDef      the leaf's maximum definition level
 * @param maxRep      the leaf's maximum repetition level: 0 for a scalar, 1 for a list
 * @param listDef     the definition level at which a list row is present (empty below it, null below {@code listDef - 1}
 *                    when the list is optional); unused for scalars
 * @param nullableList whether the list itself may be null
 * @param dtype       what the values decode to, or null when unsupported
 * @param unsupported why the field cannot be an input, or null
 */
record ParquetColumn(String name, String path, int leaf, int physical, int typeLength, int maxDef, int maxRep,
                     int listDef, boolean nullableList, DType dtype, String unsupported) {
    static final int BOOLEAN = 0, INT32 = 1, INT64 = 2, INT96 = 3, FLOAT = 4, DOUBLE = 5, BYTE_ARRAY = 6,
            FIXED_LEN_BYTE_ARRAY = 7;
    static final int REQUIRED = 0, OPTIONAL = 1, REPEATED = 2;

    /** Bytes of one decoded physical value; booleans decode to one byte each. */
    int width() {
        return switch (physical) {
            case BOOLEAN -> 1;
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case FIXED_LEN_BYTE_ARRAY -> typeLength > 0 ? typeLength : 1;
            default -> throw new PartitionFormatException("column '" + name + "' is " + unsupported);
        };
    }

    boolean isList() {
        return maxRep > 0;
    }

    /** What a leaf's values are: a dtype, or what they are instead ({@code a string column}). */
    record Kind(DType dtype, String unsupported) {
        static Kind of(DType dtype) {
            return new Kind(dtype, null);
        }

        static Kind not(String what) {
            return new Kind(null, what);
        }
    }

    /** What a leaf of {@code physical} type with the schema element {@code element}'s annotations decodes to. */
    static Kind kindOf(int physical, int typeLength, Struct element) {
        Struct logical = element.struct(10);
        int converted = element.i32(6, -1);
        boolean decimal = converted == 5 || (logical != null && logical.has(5));
        if (decimal) {
            return Kind.not("a decimal column");
        }
        return switch (physical) {
            case BOOLEAN -> Kind.of(DType.BOOL);
            case INT32 -> integer(element, logical, converted, 32);
            case INT64 -> integer(element, logical, converted, 64);
            case FLOAT -> Kind.of(DType.FLOAT32);
            case DOUBLE -> Kind.of(DType.FLOAT64);
            case INT96 -> Kind.not("an INT96 timestamp column");
            case BYTE_ARRAY -> converted == 0 || converted == 4 || converted == 19
                    || (logical != null && (logical.has(1) || logical.has(4) || logical.has(12)))
                    ? Kind.not("a string column") : Kind.not("a binary column");
            case FIXED_LEN_BYTE_ARRAY -> logical != null && logical.has(15) && typeLength == 2 ? Kind.of(DType.FLOAT16)
                    : logical != null && logical.has(14) ? Kind.not("a UUID column")
                    : Kind.not("a fixed-length binary column of " + typeLength + " bytes");
            default -> Kind.not("a column of unknown physical type " + physical);
        };
    }

    private static Kind integer(Struct element, Struct logical, int converted, int bits) {
        if (logical != null && logical.struct(10) != null) {
            Struct t = logical.struct(10);
            return ints(t.i32(1, bits), t.bool(2, true));
        }
        if ((logical != null && logical.has(6)) || converted == 6) {
            return Kind.not("a date column");
        }
        if ((logical != null && logical.has(8)) || converted == 9 || converted == 10) {
            return Kind.not("a timestamp column");
        }
        if ((logical != null && logical.has(7)) || converted == 7 || converted == 8) {
            return Kind.not("a time-of-day column");
        }
        return switch (converted) {
            case 11 -> Kind.of(DType.UINT8);
            case 12 -> Kind.of(DType.UINT16);
            case 13 -> Kind.of(DType.UINT32);
            case 14 -> Kind.of(DType.UINT64);
            case 15 -> Kind.of(DType.INT8);
            case 16 -> Kind.of(DType.INT16);
            default -> Kind.of(bits == 32 ? DType.INT32 : DType.INT64);
        };
    }

    private static Kind ints(int bits, boolean signed) {
        return switch (bits) {
            case 8 -> Kind.of(signed ? DType.INT8 : DType.UINT8);
            case 16 -> Kind.of(signed ? DType.INT16 : DType.UINT16);
            case 32 -> Kind.of(signed ? DType.INT32 : DType.UINT32);
            case 64 -> Kind.of(signed ? DType.INT64 : DType.UINT64);
            default -> Kind.not("an integer column of " + bits + " bits");
        };
    }
}
