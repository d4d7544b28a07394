package io.dataparallel.core.example;

import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.format.PartitionFormat;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.s3.ObjectStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic partitions shaped like CAI's: {@code images} [N,5,32,32] float32,
 * {@code magnitudes} [N,5] float32 and the label {@code redshift} [N] float32. Deterministic
 * for a seed and partition index. A real CAI partition of 100 MB holds about 5,113 samples
 * (about 20.5 kB each).
 */
public final class CaiDataGenerator {
    public static final int BANDS = 5;
    public static final int PIXELS = 32;

    private CaiDataGenerator() {
    }

    /** The partition {@code index} of a dataset with this {@code seed}, as {@code .npz} bytes. */
    public static byte[] partition(long seed, int index, int samples) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        int pixels = samples * BANDS * PIXELS * PIXELS;
        ByteBuffer images = ByteBuffer.allocate(pixels * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < pixels; i++) {
            images.putFloat((float) (random.nextDouble() * 2 - 1));
        }
        ByteBuffer magnitudes = ByteBuffer.allocate(samples * BANDS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples * BANDS; i++) {
            magnitudes.putFloat((float) (15 + 10 * random.nextDouble()));
        }
        ByteBuffer redshift = ByteBuffer.allocate(samples * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            redshift.putFloat((float) (0.4 * random.nextDouble()));
        }
        return Npz.toBytes(List.of(
                new NpyArray("images", DType.FLOAT32, new long[] {samples, BANDS, PIXELS, PIXELS}, images.flip()),
                new NpyArray("magnitudes", DType.FLOAT32, new long[] {samples, BANDS}, magnitudes.flip()),
                new NpyArray("redshift", DType.FLOAT32, new long[] {samples}, redshift.flip())));
    }

    /**
     * Writes {@code partitions} partitions of {@code samples} samples each under
     * {@code prefix}, named {@code partition-00000.npz} and up, so lexical order is index order.
     */
    public static void upload(ObjectStore store, S3Uri prefix, long seed, int partitions, int samples) {
        upload(store, prefix, seed, partitions, samples, PartitionFormat.NPZ);
    }

    /**
     * As {@link #upload(ObjectStore, S3Uri, long, int, int)}, in {@code format} ({@code .npz} or HDF5, whose
     * datasets {@code images}, {@code magnitudes} and {@code redshift} hold the same arrays): {@code partition-00000.h5} and up.
     */
    public static void upload(ObjectStore store, S3Uri prefix, long seed, int partitions, int samples, PartitionFormat format) {
        for (int i = 0; i < partitions; i++) {
            byte[] npz = partition(seed, i, samples);
            byte[] bytes = switch (format) {
                case NPZ -> npz;
                case HDF5 -> Hdf5Example.of(Npz.read(npz));
                default -> throw new IllegalArgumentException("the example data is written as .npz or HDF5, not " + format);
            };
            store.put(prefix.resolve(String.format("partition-%05d%s", i, format.extensions().get(0))), bytes,
                    "application/octet-stream", Map.of(), false, "spec.data.uri");
        }
    }
}
