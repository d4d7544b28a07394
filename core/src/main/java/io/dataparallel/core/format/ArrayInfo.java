package io.dataparallel.core.format;

import io.dataparallel.core.npz.DType;

/**
 * What a partition says about one of its arrays before decoding it.
 *
 * @param name        the name {@code spec.model.inputs} uses for it
 * @param dtype       its element type as decoded; null when it is not numbers
 * @param shape       its shape as decoded, samples first
 * @param where       where in the file it was found, e.g. {@code HDU 2 (EXTNAME=FLUX), image}
 * @param unsupported why it cannot be an input (a string column, a compound type), or null
 */
public record ArrayInfo(String name, DType dtype, long[] shape, String where, String unsupported) {

    public static ArrayInfo of(String name, DType dtype, long[] shape, String where) {
        return new ArrayInfo(name, dtype, shape, where, null);
    }

    public static ArrayInfo unsupported(String name, String where, String why) {
        return new ArrayInfo(name, null, new long[0], where, why);
    }

    public boolean readable() {
        return unsupported == null;
    }

    /** Shape as numpy prints it. */
    public String shapeText() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** One line for {@code plan --check} and messages: {@code flux float32 (100, 32, 32) at HDU 1}. */
    public String describe() {
        return name + " " + (readable() ? dtype.numpyName() + " " + shapeText() : "(" + unsupported + ")") + " at " + where;
    }
}
