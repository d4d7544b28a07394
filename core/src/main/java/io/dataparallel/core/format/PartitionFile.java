package io.dataparallel.core.format;

import io.dataparallel.core.npz.NpyArray;
import java.util.List;

/**
 * One opened partition: what it holds ({@link #arrays}) and each named array decoded on demand,
 * with the sample axis first, little-endian and C-ordered, in a direct buffer (or a slice of the
 * file's buffer where the bytes can be used as they are).
 */
public interface PartitionFile {
    /** Everything this file holds that a name may mean, in file order, readable or not. */
    List<ArrayInfo> arrays();

    /**
     * Decodes the array {@code name} means (one of {@link #arrays}).
     *
     * @throws PartitionFormatException when it cannot be decoded (damaged, an unknown filter or codec, a type
     *                                  that is not numbers)
     */
    NpyArray read(String name);

    /** The entry of {@code name}, or null when the file has none by that name. */
    default ArrayInfo find(String name) {
        for (ArrayInfo a : arrays()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
