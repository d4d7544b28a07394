package io.dataparallel.core.sizing;

import io.dataparallel.core.npz.NpyArray;
import java.util.List;
import java.util.Map;

/**
 * The model inputs' names, types and per-sample shapes as one text, part of a {@link ProfileKey}:
 * {@code images=float32[5,64,64]}. The worker writes it from the partition it profiled, and a launcher
 * deciding whether a profile can be reused computes it from a partition's arrays the same way.
 */
public final class InputShapes {
    private InputShapes() {
    }

    /** The text for {@code inputs} (in argument order) among {@code arrays}; a missing one reads {@code name=?}. */
    public static String text(List<String> inputs, Map<String, NpyArray> arrays) {
        StringBuilder b = new StringBuilder();
        for (String name : inputs) {
            NpyArray a = arrays.get(name);
            b.append(b.length() == 0 ? "" : " ").append(name).append('=');
            if (a == null) {
                b.append('?');
                continue;
            }
            b.append(a.dtype().numpyName()).append('[');
            for (int i = 1; i < a.shape().length; i++) {
                b.append(i == 1 ? "" : ",").append(a.shape()[i]);
            }
            b.append(']');
        }
        return b.toString();
    }
}
