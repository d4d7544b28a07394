package io.dataparallel.bench;

import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.Json;
import io.dataparallel.core.format.ArrayInfo;
import io.dataparallel.core.format.PartitionFile;
import io.dataparallel.core.format.PartitionFormat;
import io.dataparallel.core.npz.AlignedBuffer;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.worker.ComputePath;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Benchmark 10's Java side, in a JVM of its own started as the worker's is: each file's bytes put once
 * into a direct buffer placed as the worker's download places it, then REPEATS timed passes of what
 * the worker does with a partition before computing: check its magic, open it with its format's reader
 * and decode every readable array. With a model, also the model's compute-only rate on the arrays of
 * the first file (the .npz), so decoding can be set against it.
 *
 * <p>{@code DecodeRuns DIR REPEATS THREADS MODEL|- INPUTS BATCH FILE...}: prints one JSON line.
 */
public final class DecodeRuns {
    /** Untimed passes first, at least this long per file, so the readers run compiled as in a worker's steady state. */
    private static final double WARM_UP_SECONDS = 1.0;

    private DecodeRuns() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int repeats = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        String model = args[3];
        List<String> inputs = List.of(args[4].split(","));
        int batch = Integer.parseInt(args[5]);
        Map<String, Object> files = new LinkedHashMap<>();
        Map<String, NpyArray> firstArrays = null;
        for (String name : Arrays.copyOfRange(args, 6, args.length)) {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            PartitionFormat format = PartitionFormat.ofKey(name).orElseThrow(() -> new IllegalArgumentException(name + " is no partition"));
            int alignAt = format == PartitionFormat.NPZ ? Npz.firstArrayData(ByteBuffer.wrap(bytes)) : -1;
            ByteBuffer file = AlignedBuffer.allocate(bytes.length, alignAt).put(bytes).flip();
            Map<String, NpyArray> arrays = decode(format, name, file);
            long t0 = System.nanoTime();
            while ((System.nanoTime() - t0) / 1e9 < WARM_UP_SECONDS) {
                decode(format, name, file);
            }
            double[] seconds = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long s = System.nanoTime();
                arrays = decode(format, name, file);
                seconds[r] = (System.nanoTime() - s) / 1e9;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("bytes", bytes.length);
            entry.put("samples", arrays.values().iterator().next().shape()[0]);
            entry.put("seconds", seconds);
            Map<String, Object> shapes = new LinkedHashMap<>();
            arrays.forEach((k, a) -> shapes.put(k, List.of(a.dtype().numpyName(), a.shape(), crc32(a))));
            entry.put("arrays", shapes);
            files.put(name, entry);
            if (firstArrays == null) {
                firstArrays = arrays;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", files);
        if (!model.equals("-") && firstArrays != null) {
            out.put("compute", compute(Path.of(model), inputs, firstArrays, threads, batch, repeats));
        }
        System.out.println(new String(Json.write(out), StandardCharsets.UTF_8));
    }

    /** CRC-32 of the array's little-endian C-order bytes, as the Python side takes it: both readers must give the same numbers. */
    private static long crc32(NpyArray a) {
        CRC32 crc = new CRC32();
        crc.update(a.data().duplicate());
        return crc.getValue();
    }

    /** One pass: the worker's steps from the partition's bytes to its arrays. */
    private static Map<String, NpyArray> decode(PartitionFormat format, String key, ByteBuffer file) {
        format.checkMagic(key, file);
        PartitionFile partition = format.reader().open(key, file.duplicate());
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (ArrayInfo a : partition.arrays()) {
            if (a.readable()) {
                arrays.put(a.name(), partition.read(a.name()));
            }
        }
        return arrays;
    }

    /** Samples per second of the model's compute path alone (one replica of {@code threads}), one pass per repeat after two warm-ups. */
    private static double[] compute(Path model, List<String> inputNames, Map<String, NpyArray> arrays, int threads, int batch,
                                    int repeats) {
        List<NpyArray> inputs = new ArrayList<>();
        for (String n : inputNames) {
            inputs.add(arrays.get(n));
        }
        long rows = inputs.get(0).rows();
        double[] rates = new double[repeats];
        try (ComputePath path = ComputePath.load(model, new ModelSpec(model.toString(), inputNames, null), threads)) {
            for (int r = -2; r < repeats; r++) {
                long t0 = System.nanoTime();
                path.run("decode-bench", inputs, null, rows, batch);
                if (r >= 0) {
                    rates[r] = rows / ((System.nanoTime() - t0) / 1e9);
                }
            }
        }
        return rates;
    }
}
