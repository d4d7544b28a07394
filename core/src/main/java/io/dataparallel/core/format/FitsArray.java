package io.dataparallel.core.format;

import io.dataparallel.core.npz.NpyArray;
import java.util.function.Function;

/**
 * One array a FITS file offers (an image HDU or a table column): what it is, and how to decode it
 * under the name the reader gave it.
 */
record FitsArray(ArrayInfo info, Function<String, NpyArray> decoder) {
    static FitsArray unsupported(String name, String where, String why) {
        return new FitsArray(ArrayInfo.unsupported(name, where, why), null);
    }

    FitsArray named(String name) {
        return new FitsArray(new ArrayInfo(name, info.dtype(), info.shape(), info.where(), info.unsupported()), decoder);
    }

    NpyArray decode() {
        return decoder.apply(info.name());
    }
}
