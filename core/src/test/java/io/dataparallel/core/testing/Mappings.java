package io.dataparallel.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files under a folder that this process has mapped now, from Linux's {@code /proc/self/maps}:
 * an unlinked one shows as {@code <path> (deleted)}, and its disk blocks are held until it is unmapped.
 */
public final class Mappings {
    private static final Path MAPS = Path.of("/proc/self/maps");

    private Mappings() {
    }

    /** Whether this system says what is mapped (Linux). */
    public static boolean visible() {
        return Files.isReadable(MAPS);
    }

    /** The mapped files whose path starts with {@code dir}, each named once. */
    public static Set<String> under(Path dir) {
        String prefix = dir.toAbsolutePath().toString() + "/";
        Set<String> files = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(MAPS)) {
                int at = line.indexOf(prefix);
                if (at >= 0) {
                    files.add(line.substring(at));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
