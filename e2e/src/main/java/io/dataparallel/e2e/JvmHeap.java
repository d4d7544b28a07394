package io.dataparallel.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM's used heap after a full GC, read with {@code jcmd}: what the e2e suite's scale test and the
 * operator scale benchmark report as the operator's memory. The operator runs the serial collector, whose
 * {@code GC.heap_info} lists one "used" figure per generation; their sum is the live heap.
 */
public final class JvmHeap {
    private static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    private JvmHeap() {
    }

    /** Used heap of process {@code pid} after a full GC, in MiB; NaN where no such process runs ({@code pid < 0}) or jcmd reads nothing. */
    public static double usedAfterGcMb(long pid) {
        if (pid < 0) {
            return Double.NaN;
        }
        try {
            jcmd(pid, "GC.run");
            Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
            long kb = 0;
            boolean any = false;
            while (m.find()) {
                kb += Long.parseLong(m.group(1));
                any = true;
            }
            return any ? kb / 1024.0 : Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
