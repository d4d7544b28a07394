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

    /**
     * The dtype a leaf of {@code physical} type with the schema element {@code element}'s annotations decodes to,
     * or a text saying what it is instead ("a string column"), returned as a String.
     */
    static Object typeOf(int physical, int typeLength, Struct element) {
        Struct logical = element.struct(10);
        int converted = element.i32(6, -1);
        boolean decimal = converted == 5 || (logical != null && logical.has(5));
        if (decimal) {
            return "a decimal column";
        }
        return switch (physical) {
            case BOOLEAN -> DType.BOOL;
            case INT32 -> integer(element, logical, converted, 32);
            case INT64 -> integer(element, logical, converted, 64);
            case FLOAT -> DType.FLOAT32;
            case DOUBLE -> DType.FLOAT64;
            case INT96 -> "an INT96 timestamp column";
            case BYTE_ARRAY -> converted == 0 || converted == 4 || converted == 19
                    || (logical != null && (logical.has(1) || logical.has(4) || logical.has(12))) ? "a string column" : "a binary column";
            case FIXED_LEN_BYTE_ARRAY -> logical != null && logical.has(15) && typeLength == 2 ? DType.FLOAT16
                    : logical != null && logical.has(14) ? "a UUID column"
                    : "a fixed-length binary column of " + typeLength + " bytes";
            default -> "a column of unknown physical type " + physical;
        };
    }

    private static Object integer(Struct element, Struct logical, int converted, int bits) {
        if (logical != null && logical.struct(10) != null) {
            Struct t = logical.struct(10);
            return ints(t.i32(1, bits), t.bool(2, true));
        }
        if (logical != null && (logical.has(6) || converted == 6)) {
            return "a date column";
        }
        if ((logical != null && logical.has(8)) || converted == 9 || converted == 10) {
            return "a timestamp column";
        }
        if ((logical != null && logical.has(7)) || converted == 7 || converted == 8) {
            return "a time-of-day column";
        }
        return switch (converted) {
            case 11 -> DType.UINT8;
            case 12 -> DType.UINT16;
            case 13 -> DType.UINT32;
            case 14 -> DType.UINT64;
            case 15 -> DType.INT8;
            case 16 -> DType.INT16;
            case -1, 17, 18 -> bits == 32 ? DType.INT32 : DType.INT64;
            case 6 -> "a date column";
            default -> bits == 32 ? DType.INT32 : DType.INT64;
        };
    }

    private static Object ints(int bits, boolean signed) {
        return switch (bits) {
            case 8 -> signed ? DType.INT8 : DType.UINT8;
            case 16 -> signed ? DType.INT16 : DType.UINT16;
            case 32 -> signed ? DType.INT32 : DType.UINT32;
            case 64 -> signed ? DType.INT64 : DType.UINT64;
            default -> "an integer column of " + bits + " bits";
        };
    }
}
