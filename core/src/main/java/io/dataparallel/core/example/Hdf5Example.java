package io.dataparallel.core.example;

import io.dataparallel.core.npz.NpyArray;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The example partition's float32 arrays as an HDF5 file, one dataset per array at the root (written by jhdf). */
final class Hdf5Example {
    private Hdf5Example() {
    }

    static byte[] of(Map<String, NpyArray> arrays) {
        Path file = null;
        try {
            file = Files.createTempFile("dataparallel-example", ".h5");
            try (WritableHdfFile hdf = HdfFile.write(file)) {
                for (NpyArray a : arrays.values()) {
                    hdf.putDataset(a.name(), nested(a));
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /** A float32 array of rank 1 to 4 as the nested Java array jhdf writes. */
    private static Object nested(NpyArray a) {
        ByteBuffer b = a.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] s = a.shape();
        return switch (s.length) {
            case 1 -> row(b, 0, (int) s[0]);
            case 2 -> {
                float[][] m = new float[(int) s[0]][];
                for (int i = 0; i < m.length; i++) {
                    m[i] = row(b, i * s[1], (int) s[1]);
                }
                yield m;
            }
            case 4 -> {
                float[][][][] m = new float[(int) s[0]][(int) s[1]][(int) s[2]][];
                long at = 0;
                for (float[][][] x : m) {
                    for (float[][] y : x) {
                        for (int k = 0; k < y.length; k++) {
                            y[k] = row(b, at, (int) s[3]);
                            at += s[3];
                        }
                    }
                }
                yield m;
            }
            default -> throw new IllegalArgumentException("the example has arrays of rank 1, 2 and 4, not " + s.length);
        };
    }

    private static float[] row(ByteBuffer b, long from, int n) {
        float[] r = new float[n];
        b.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(Math.toIntExact(from * 4)).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(r);
        return r;
    }
}
