package io.dataparallel.core.sizing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine as a {@link ProfileKey} names it locally: processor model and the CPUs this process
 * may use, e.g. {@code Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz x 2}. Rates measured on one
 * machine say little about another, so a profile is kept per machine.
 */
public final class Machines {
    private Machines() {
    }

    public static String describe() {
        String model = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture has to do
        }
        return model + " x " + Runtime.getRuntime().availableProcessors();
    }
}
