package io.dataparallel.core.npz;

import java.util.Locale;

/** The numpy element types a partition may hold, with their {@code .npy} descriptors. */
public enum DType {
    FLOAT16("f2", 2, true), FLOAT32("f4", 4, true), FLOAT64("f8", 8, true),
    INT8("i1", 1, false), INT16("i2", 2, false), INT32("i4", 4, false), INT64("i8", 8, false),
    UINT8("u1", 1, false), UINT16("u2", 2, false), UINT32("u4", 4, false), UINT64("u8", 8, false),
    BOOL("b1", 1, false);

    private final String code;
    private final int bytes;
    private final boolean floating;

    DType(String code, int bytes, boolean floating) {
        this.code = code;
        this.bytes = bytes;
        this.floating = floating;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return floating;
    }

    /** Integers and booleans: labels of this type mean classification. */
    public boolean isIntegral() {
        return !floating;
    }

    /** The little-endian descriptor, e.g. {@code <f4}. */
    public String descriptor() {
        return (bytes == 1 ? "|" : "<") + code;
    }

    /** numpy's name, e.g. {@code float32}, for messages. */
    public String numpyName() {
        return this == BOOL ? "bool" : name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a descriptor such as {@code <f4}, {@code |u1} or {@code ?}; big-endian data is
     * reported by returning null with {@code bigEndian} true through the caller.
     */
    public static DType fromDescriptor(String descr) {
        String d = descr;
        if (d.equals("?") || d.equals("|b1") || d.equals("b1")) {
            return BOOL;
        }
        if (!d.isEmpty() && (d.charAt(0) == '<' || d.charAt(0) == '|' || d.charAt(0) == '=')) {
            d = d.substring(1);
        }
        for (DType t : values()) {
            if (t.code.equals(d)) {
                return t;
            }
        }
        return null;
    }
}
