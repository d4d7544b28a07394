package io.dataparallel.core.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
    @Test
    void aRebuiltJarGetsAnotherArchive(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path jar = Files.write(lib.resolve("a.jar"), new byte[] {1, 2, 3});
        String classpath = dir.resolve("main.jar") + File.pathSeparator + lib + "/*";
        String before = ClassDataArchive.key(classpath);
        assertEquals(before, ClassDataArchive.key(classpath), "the same jars, the same archive");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        assertNotEquals(before, ClassDataArchive.key(classpath), "a jar rebuilt in place");
        Files.write(lib.resolve("b.jar"), new byte[] {4});
        assertNotEquals(ClassDataArchive.key(classpath), before, "a jar added to a dir/* entry");
    }

    @Test
    void aClasspathWithFoldersGetsNoArchiveAndRunsNothing(@TempDir Path dir) throws Exception {
        // the JVM archives classes from jars only: tests that run from target/classes start as before
        String classpath = Files.createDirectories(dir.resolve("classes")) + File.pathSeparator + dir.resolve("x.jar");
        assertEquals(List.of(), ClassDataArchive.options(dir.resolve("archives"), classpath, Map.of()));
        assertEquals(false, Files.exists(dir.resolve("archives")));
    }
}
