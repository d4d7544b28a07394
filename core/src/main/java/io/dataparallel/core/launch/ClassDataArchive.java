package io.dataparallel.core.launch;

import io.dataparallel.api.launch.WorkerLaunch;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's class-data archive for launchers that start worker JVMs from a classpath on
 * this machine (local mode, the benchmarks, the e2e harness's kubelet): what the worker
 * image's build does once ({@code WorkerMain warmup} under {@link WorkerLaunch#writeClassData}),
 * done on first use and kept in a folder, one archive per classpath and JVM. A JVM maps an
 * archive only for the exact jars it was written with, so the name is a hash of the JVM and
 * of each jar's path, size and modification time: a rebuilt jar gets a new archive.
 */
public final class ClassDataArchive {
    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);
    private static final String WORKER_MAIN = "io.dataparallel.worker.WorkerMain";
    private static final long WARMUP_SECONDS = 300;

    /** Classpaths whose archive could not be written: tried once per process. */
    private static final java.util.Set<String> FAILED = new java.util.HashSet<>();

    private ClassDataArchive() {
    }

    /**
     * {@link #options} for worker JVMs started on this JVM's own classpath (local mode, the
     * benchmarks), kept in {@code class-data} beside its first entry.
     */
    public static List<String> forThisClasspath(Map<String, String> env) {
        String classpath = System.getProperty("java.class.path");
        Path first = Path.of(classpath.split(File.pathSeparator)[0]).toAbsolutePath();
        return options(first.getParent().resolve("class-data"), classpath, env);
    }

    /**
     * The JVM options that map the archive for {@code classpath} (kept in {@code folder}),
     * written first by one warmup run with {@code env} when it is not there. Empty when it
     * cannot be written: the workers then start slower, and nothing else changes.
     */
    public static synchronized List<String> options(Path folder, String classpath, Map<String, String> env) {
        if (FAILED.contains(classpath) || !onlyJars(classpath)) {
            return List.of(); // the JVM archives classes from jars only (tests run from target/classes)
        }
        Path archive = folder.resolve("worker-" + key(classpath) + ".jsa");
        if (Files.isRegularFile(archive)) {
            return WorkerLaunch.classData(archive.toString());
        }
        try {
            write(archive, classpath, env);
            return WorkerLaunch.classData(archive.toString());
        } catch (IOException e) {
            FAILED.add(classpath);
            LOG.warn("workers start without a class-data archive: {}", e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void write(Path archive, String classpath, Map<String, String> env) throws IOException, InterruptedException {
        Files.createDirectories(archive.getParent());
        // another launcher may write the same archive at once: each writes its own file, the last move wins
        Path partial = Files.createTempFile(archive.getParent(), "partial-", ".jsa");
        Files.delete(partial); // the JVM writes it at exit
        Path log = archive.resolveSibling(archive.getFileName() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(WorkerLaunch.JVM_OPTIONS);
        command.addAll(WorkerLaunch.writeClassData(partial.toString()));
        command.addAll(List.of("-cp", classpath, WORKER_MAIN, WorkerLaunch.WARMUP));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = b.start();
        try {
            if (!p.waitFor(WARMUP_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(partial)) {
                throw new IOException("the warmup run that writes it failed; see " + log);
            }
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("wrote the workers' class-data archive {} in {} s", archive, Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(partial);
        }
    }

    /** A hash of the JVM and of every jar the classpath names (a {@code dir/*} entry: the jars in it). */
    static String key(String classpath) {
        StringBuilder text = new StringBuilder(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n').append(WorkerLaunch.JVM_OPTIONS).append('\n');
        for (String entry : classpath.split(File.pathSeparator)) {
            for (Path jar : jars(entry)) {
                text.append(jar).append(' ').append(jar.toFile().length()).append(' ').append(jar.toFile().lastModified()).append('\n');
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean onlyJars(String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.endsWith("*") && !entry.endsWith(".jar")) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> jars(String entry) {
        if (!entry.endsWith("*")) {
            return List.of(Path.of(entry));
        }
        Path dir = Path.of(entry.substring(0, entry.length() - 1));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return List.of(dir);
        }
    }
}
