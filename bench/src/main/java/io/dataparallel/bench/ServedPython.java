package io.dataparallel.bench;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.core.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Python reference run as {@code SCRIPT ... --serve}: it loads once, prints one JSON line about itself, then
 * runs one pass per line written to it and answers each with one JSON line. Started with glibc's allocator
 * defaults, as users run Python (the worker's allocator settings are taken out of its environment), or for the
 * tuned reference with the worker's.
 */
final class ServedPython implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final Map<?, ?> hello;

    private ServedPython(Process process) throws Exception {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.hello = read();
    }

    /** Starts {@code command} (the python, the script and its arguments, {@code --serve} last). */
    static ServedPython start(List<String> command) throws Exception {
        return start(command, false);
    }

    /**
     * As {@link #start(List)}; with {@code workerAllocator}, under the worker's allocator settings instead of glibc's
     * defaults, as an engineer who tunes PyTorch runs it (the tuned reference).
     */
    static ServedPython start(List<String> command, boolean workerAllocator) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (workerAllocator) {
            pb.environment().put(WorkerLaunch.ALLOCATOR, WorkerLaunch.ALLOCATOR_SETTINGS);
        } else {
            pb.environment().remove(WorkerLaunch.ALLOCATOR);
        }
        return new ServedPython(pb.start());
    }

    /** The first line it printed: what it runs on (versions, threads). */
    Map<?, ?> hello() {
        return hello;
    }

    /** Runs one pass; its answer. */
    Map<?, ?> pass() throws Exception {
        in.write("pass\n");
        in.flush();
        return read();
    }

    static double number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private Map<?, ?> read() throws Exception {
        String l = out.readLine();
        if (l == null) {
            throw new IllegalStateException("the Python reference ended early (exit " + process.waitFor() + ")");
        }
        return Json.read(l.getBytes(StandardCharsets.UTF_8), Map.class);
    }

    @Override
    public void close() throws Exception {
        in.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
