package io.dataparallel.worker;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What CAI's execution info reports about the machine, read from /proc and the cgroup. */
final class SystemInfo {
    private SystemInfo() {
    }

    /** The processor model, e.g. "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz". */
    static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    /** Memory the worker may use, in GB: the cgroup limit when there is one, else the machine's. */
    static double memoryGb() {
        List<String> limit = lines(Path.of("/sys/fs/cgroup/memory.max"));
        if (!limit.isEmpty() && limit.get(0).matches("\\d+")) {
            return Long.parseLong(limit.get(0)) / 1e9;
        }
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return kib(line) * 1024 / 1e9;
            }
        }
        return Runtime.getRuntime().maxMemory() / 1e9;
    }

    /** Peak resident set size of this process in MB (VmHWM), native memory included. */
    static double peakRssMb() {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return kib(line) * 1024 / 1e6;
            }
        }
        return 0;
    }

    /** CPU time of this process (all threads, user and system) in seconds. */
    static double processCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return 0;
    }

    /** When this JVM started, in epoch milliseconds. */
    static long processStartMs() {
        return ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
