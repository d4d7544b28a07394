package io.dataparallel.cli;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.core.launch.ClassDataArchive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How to start another JVM on this one's classpath (worker processes in local mode). */
final class Java {
    private Java() {
    }

    static List<String> command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(WorkerLaunch.JVM_OPTIONS); // as the worker image runs it
        cmd.addAll(ClassDataArchive.forThisClasspath(Map.of())); // as the image maps the archive its build wrote
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }
}
