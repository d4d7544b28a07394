package io.dataparallel.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How to start another JVM on this one's classpath (worker processes in local mode). */
final class Java {
    private Java() {
    }

    static List<String> command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // C1 only: start-up is most of a short local run, and C2 compiling the S3 client, Jackson and DJL competes with
        // the other workers for the same cores; the hot loop is libtorch's native code, which no JIT touches
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC"); // a worker is one busy thread plus two I/O threads: no need for a parallel collector
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
