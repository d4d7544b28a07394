package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The same manifest run by {@code dataparallel run} (local mode), to compare the cluster's predictions with. */
final class LocalMode {
    private LocalMode() {
    }

    /**
     * Copies the model and data of {@code s3://bucket/prefix/} into a local store, runs the CLI on
     * {@code manifest} (its spec.s3 dropped: the embedded store) and returns the store folder.
     */
    static Path run(String bucket, String prefix, String manifest) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Files.createDirectories(E2e.STATE.resolve("local")), "run");
        Path store = dir.resolve("store");
        copyTree(E2e.STATE.resolve("store").resolve(bucket).resolve(prefix), store.resolve(bucket).resolve(prefix));
        String local = manifest.lines().filter(l -> !l.strip().startsWith("s3:") && !l.strip().startsWith("namespace:"))
                .reduce("", (a, b) -> a + b + "\n");
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, local);
        Path cli = E2e.REPO.resolve("cli/target");
        Tools.Result r = Tools.exec(dir, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cli + "/*:" + cli + "/lib/*", "io.dataparallel.cli.Cli", "run", file.toString(), "--store", store.toString()),
                300);
        assertEquals(0, r.exitCode(), () -> "local mode failed:\n" + r.output());
        return store;
    }

    /** Every prediction file under {@code a} equals its namesake under {@code b}, array by array, within 1e-5. */
    static int assertSamePredictions(Path a, Path b) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(a)) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            Map<String, NpyArray> x = Npz.read(Files.readAllBytes(f));
            Map<String, NpyArray> y = Npz.read(Files.readAllBytes(b.resolve(f.getFileName())));
            assertEquals(x.keySet(), y.keySet(), f.getFileName().toString());
            for (String name : x.keySet()) {
                assertArrayEquals(x.get(name).shape(), y.get(name).shape(), name);
                assertArrayEquals(x.get(name).toDoubles(), y.get(name).toDoubles(), 1e-5, f.getFileName() + " " + name);
            }
        }
        return files.size();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.toString().contains("/out/")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
