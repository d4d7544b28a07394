package io.dataparallel.core.format;

import io.dataparallel.core.format.TarIndex.Member;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * WebDataset shards ({@code .tar}): members {@code <key>.<ext>} grouped into samples by key, as
 * webdataset groups them (the key is the member's path up to the first dot of its file name, the
 * extension the rest, lower-cased; names starting with {@code __} at the top level and names without
 * a dot are skipped), samples in key order. An input name is an extension ({@link ShardArrays}):
 * {@code png}/{@code jpg}/{@code jpeg} images as uint8 [N, 3, H, W], {@code cls} integers as int64
 * [N], {@code npy} arrays stacked to [N, …]; an extension with dots ({@code seg.png}) is decoded by
 * its last part. {@code json} and other members are listed but are not inputs.
 */
final class WebDatasetReader implements FormatReader {
    /** Python sorts keys by code point; String.compareTo by UTF-16 unit, which differs past U+FFFF. */
    private static final Comparator<String> CODE_POINTS = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    @Override
    public PartitionFile open(String key, ByteBuffer file) {
        Map<String, Map<String, Member>> samples = new TreeMap<>(CODE_POINTS);
        Set<String> extensions = new LinkedHashSet<>();
        for (Member m : TarIndex.members(file)) {
            int slash = m.path().lastIndexOf('/');
            String base = m.path().substring(slash + 1);
            int dot = base.indexOf('.');
            if (dot <= 0 || slash < 0 && base.startsWith("__")) {
                continue; // webdataset skips names without an extension and its own __meta__ files
            }
            String sample = m.path().substring(0, slash + 1 + dot);
            String ext = base.substring(dot + 1).toLowerCase(Locale.ROOT);
            Member before = samples.computeIfAbsent(sample, k -> new LinkedHashMap<>()).putIfAbsent(ext, m);
            if (before != null) {
                throw new PartitionFormatException("has two members for sample '" + sample + "' and extension '" + ext
                        + "' ('" + before.path() + "' and '" + m.path() + "'): each sample has one member per extension");
            }
            extensions.add(ext);
        }
        return new Shard(new ShardArrays(file, List.copyOf(samples.keySet()), List.copyOf(samples.values())),
                List.copyOf(extensions));
    }

    /** An opened shard: one array per extension. */
    private static final class Shard implements PartitionFile {
        private final ShardArrays samples;
        private final List<String> extensions;
        private List<ArrayInfo> infos;

        Shard(ShardArrays samples, List<String> extensions) {
            this.samples = samples;
            this.extensions = extensions;
        }

        @Override
        public synchronized List<ArrayInfo> arrays() {
            if (infos == null) {
                List<ArrayInfo> list = new ArrayList<>();
                for (String ext : extensions) {
                    list.add(samples.info(ext));
                }
                infos = List.copyOf(list);
            }
            return infos;
        }

        @Override
        public ArrayInfo find(String name) {
            String ext = extension(name);
            return ext == null ? null : samples.info(ext);
        }

        @Override
        public NpyArray read(String name) {
            String ext = extension(name);
            if (ext == null) {
                throw new PartitionFormatException("has no member extension '" + name + "'; its samples have: "
                        + (extensions.isEmpty() ? "no members" : String.join(", ", extensions)));
            }
            return samples.read(ext, name);
        }

        /** The extension a name means: itself, or lower-cased as webdataset keys them; null when none. */
        private String extension(String name) {
            String n = name.startsWith(".") ? name.substring(1) : name;
            if (extensions.contains(n)) {
                return n;
            }
            String lower = n.toLowerCase(Locale.ROOT);
            return extensions.contains(lower) ? lower : null;
        }
    }
}
