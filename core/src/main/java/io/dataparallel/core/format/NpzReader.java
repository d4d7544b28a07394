package io.dataparallel.core.format;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.npz.NpzFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** numpy {@code .npz}: an input name is an array name; uncompressed arrays stay slices of the file. */
final class NpzReader implements FormatReader {
    @Override
    public PartitionFile open(String key, ByteBuffer file) {
        List<String> names;
        try {
            names = Npz.names(file);
        } catch (NpzFormatException e) {
            throw new PartitionFormatException(e.getMessage() + "; write partitions with numpy.savez or numpy.savez_compressed", e);
        }
        return new PartitionFile() {
            private List<ArrayInfo> infos;
            /** Arrays {@link #find} decoded, until {@link #read} takes them. */
            private final Map<String, NpyArray> decoded = new java.util.HashMap<>();

            @Override
            public List<ArrayInfo> arrays() {
                if (infos == null) {
                    // only plan --check and messages ask: decoding (a slice, or inflating a compressed entry) tells dtype and shape
                    List<ArrayInfo> list = new ArrayList<>();
                    for (String n : names) {
                        try {
                            NpyArray a = read(n);
                            list.add(ArrayInfo.of(n, a.dtype(), a.shape(), "array " + n + ".npy"));
                        } catch (PartitionFormatException e) {
                            list.add(ArrayInfo.unsupported(n, "array " + n + ".npy", e.getMessage()));
                        }
                    }
                    infos = List.copyOf(list);
                }
                return infos;
            }

            @Override
            public NpyArray read(String name) {
                NpyArray kept = decoded.remove(name);
                if (kept != null) {
                    return kept;
                }
                Map<String, NpyArray> one;
                try {
                    one = Npz.read(file, Set.of(name));
                } catch (NpzFormatException e) {
                    throw new PartitionFormatException(e.getMessage(), e);
                }
                NpyArray a = one.get(name);
                if (a == null) {
                    throw new PartitionFormatException("has no array '" + name + "'");
                }
                return a;
            }

            /** One array's entry, decoding that array alone (kept for the read that follows). */
            @Override
            public ArrayInfo find(String name) {
                if (!names.contains(name)) {
                    return null;
                }
                try {
                    NpyArray a = decoded.get(name);
                    if (a == null) {
                        a = read(name);
                        decoded.put(name, a);
                    }
                    return ArrayInfo.of(name, a.dtype(), a.shape(), "array " + name + ".npy");
                } catch (PartitionFormatException e) {
                    return ArrayInfo.unsupported(name, "array " + name + ".npy", e.getMessage());
                }
            }
        };
    }
}
