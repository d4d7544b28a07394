package io.dataparallel.core.format;

import io.dataparallel.core.format.TarIndex.Member;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A shard's samples (sorted by key), each extension's members decoded and stacked along a first
 * sample axis: images to uint8 [N, 3, H, W], {@code cls} text to int64 [N], {@code .npy} arrays to
 * [N, …] (every sample one dtype and shape).
 */
final class ShardArrays {
    /** Fewer images than this a core are decoded on one: a task costs more than a few small images. */
    private static final int MIN_IMAGES_PER_RUN = 16;
    private final ByteBuffer tar;
    private final List<String> keys;
    private final List<Map<String, Member>> samples;
    private final Map<String, ArrayInfo> infos = new ConcurrentHashMap<>();

    ShardArrays(ByteBuffer tar, List<String> keys, List<Map<String, Member>> samples) {
        this.tar = tar;
        this.keys = keys;
        this.samples = samples;
    }

    private enum Kind { IMAGE, CLS, NPY, JSON, OTHER }

    /** How an extension is decoded: by its last part ({@code seg.png} is a PNG). */
    private static Kind kind(String ext) {
        String last = ext.substring(ext.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (last) {
            case "png", "jpg", "jpeg" -> Kind.IMAGE;
            case "cls" -> Kind.CLS;
            case "npy" -> Kind.NPY;
            case "json" -> Kind.JSON;
            default -> Kind.OTHER;
        };
    }

    ArrayInfo info(String ext) {
        return infos.computeIfAbsent(ext, this::describe);
    }

    private ArrayInfo describe(String ext) {
        int n = keys.size();
        String where = "members <key>." + ext + " of " + n + " samples";
        int have = (int) samples.stream().filter(s -> s.containsKey(ext)).count();
        if (have < n) {
            return ArrayInfo.unsupported(ext, where, "missing from sample '" + keys.get(firstWithout(ext)) + "' ("
                    + have + " of " + n + " samples have it)");
        }
        try {
            return switch (kind(ext)) {
                case IMAGE -> {
                    ShardImages.Size s = ShardImages.size(data(0, ext), path(0, ext));
                    yield ArrayInfo.of(ext, DType.UINT8, new long[] {n, 3, s.height(), s.width()}, where);
                }
                case CLS -> ArrayInfo.of(ext, DType.INT64, new long[] {n}, where);
                case NPY -> {
                    NpyArray first = NpyMembers.parse(List.of(path(0, ext)), List.of(data(0, ext))).values().iterator().next();
                    yield ArrayInfo.of(ext, first.dtype(), stacked(n, first.shape()), where);
                }
                case JSON -> ArrayInfo.unsupported(ext, where, "JSON metadata, not an input");
                case OTHER -> ArrayInfo.unsupported(ext, where, "not a member type this reader decodes (png, jpg, jpeg, cls, npy)");
            };
        } catch (PartitionFormatException e) {
            return ArrayInfo.unsupported(ext, where, "unreadable: " + e.getMessage());
        }
    }

    NpyArray read(String ext, String name) {
        ArrayInfo info = info(ext);
        if (samples.isEmpty()) {
            throw new PartitionFormatException("has no samples");
        }
        int missing = firstWithout(ext);
        if (missing >= 0) {
            String withOne = samples.stream().filter(s -> s.containsKey(ext)).findFirst().orElseThrow().get(ext).path();
            throw new PartitionFormatException("sample '" + keys.get(missing) + "' has no member '" + keys.get(missing) + "." + ext
                    + "', which other samples have (e.g. '" + withOne + "'): every sample needs each member used as an input");
        }
        return switch (kind(ext)) {
            case IMAGE -> images(ext, name);
            case CLS -> classes(ext, name);
            case NPY -> arrays(ext, name);
            case JSON, OTHER -> throw new PartitionFormatException("'" + ext + "' members (" + info.where() + ") are "
                    + info.unsupported() + "; they cannot be an input");
        };
    }

    private NpyArray images(String ext, String name) {
        int n = samples.size();
        ShardImages.Size first = ShardImages.size(data(0, ext), path(0, ext));
        int plane = Math.multiplyExact(first.width(), first.height());
        ByteBuffer out = Buffers.allocate(3L * plane * n, "images '" + ext + "'"); // refuses past 2 GiB: 3 * i * plane fits an int
        // contiguous runs of samples on the cores there are, each with its own reader; each run stops at its
        // first bad image, so the earliest run's error is the partition's first, as a sequential decode would say
        int runs = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / MIN_IMAGES_PER_RUN));
        PartitionFormatException[] errors = new PartitionFormatException[runs];
        IntStream.range(0, runs).parallel().forEach(r -> {
            try (ShardImages.Decoder decoder = new ShardImages.Decoder()) {
                for (int i = (int) ((long) r * n / runs); i < (int) ((long) (r + 1) * n / runs); i++) {
                    decoder.decodeInto(data(i, ext), path(i, ext), out, 3 * i * plane, first, path(0, ext));
                }
            } catch (PartitionFormatException e) {
                errors[r] = e;
            }
        });
        for (PartitionFormatException e : errors) {
            if (e != null) {
                throw e;
            }
        }
        return new NpyArray(name, DType.UINT8, new long[] {n, 3, first.height(), first.width()}, out);
    }

    private NpyArray classes(String ext, String name) {
        int n = samples.size();
        ByteBuffer out = Buffers.allocate(8L * n, "classes '" + ext + "'");
        for (int i = 0; i < n; i++) {
            ByteBuffer d = data(i, ext);
            byte[] b = new byte[d.remaining()];
            d.get(b);
            String text = new String(b, StandardCharsets.UTF_8).strip();
            try {
                out.putLong(8 * i, Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new PartitionFormatException("member '" + path(i, ext) + "' holds '" + abbreviate(text)
                        + "', not an integer class: a .cls member is one integer as text");
            }
        }
        return new NpyArray(name, DType.INT64, new long[] {n}, out);
    }

    private NpyArray arrays(String ext, String name) {
        int n = samples.size();
        List<String> paths = new ArrayList<>(n);
        List<ByteBuffer> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            paths.add(path(i, ext));
            members.add(data(i, ext));
        }
        Map<String, NpyArray> parsed = NpyMembers.parse(paths, members);
        NpyArray first = parsed.get(paths.get(0));
        ByteBuffer out = Buffers.allocate((long) first.data().remaining() * n, "arrays '" + ext + "'");
        for (String p : paths) {
            NpyArray a = parsed.get(p);
            if (a.dtype() != first.dtype() || !java.util.Arrays.equals(a.shape(), first.shape())) {
                throw new PartitionFormatException("member '" + p + "' holds " + a.dtype().numpyName() + " " + a.shapeText()
                        + " but the first, '" + paths.get(0) + "', holds " + first.dtype().numpyName() + " " + first.shapeText()
                        + ": every sample's array must have one dtype and shape");
            }
            out.put(a.data().duplicate());
        }
        return new NpyArray(name, first.dtype(), stacked(n, first.shape()), out.flip());
    }

    private static long[] stacked(int n, long[] shape) {
        long[] s = new long[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    private int firstWithout(String ext) {
        for (int i = 0; i < samples.size(); i++) {
            if (!samples.get(i).containsKey(ext)) {
                return i;
            }
        }
        return -1;
    }

    private ByteBuffer data(int sample, String ext) {
        return samples.get(sample).get(ext).data(tar);
    }

    private String path(int sample, String ext) {
        return samples.get(sample).get(ext).path();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
