package io.dataparallel.cli;

import io.dataparallel.api.result.Progress;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.s3.ObjectStore;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Shows partitions done, samples/s and an ETA while a local run goes, read from the
 * workers' {@code progress/<rank>.json} files: the same source the operator uses.
 * Redraws one line on a terminal; prints a line every few seconds otherwise.
 */
final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final ObjectStore store;
    private final OutputLayout layout;
    private final int worldSize;
    private final int total;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final Thread thread;
    private volatile boolean stop;
    private long lastLine;

    ProgressBar(ObjectStore store, OutputLayout layout, int worldSize, int total, PrintStream out, boolean terminal) {
        this.store = store;
        this.layout = layout;
        this.worldSize = worldSize;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.thread = new Thread(this::loop, "progress");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        long interval = Math.max(500, Math.min(10_000, worldSize * 5L));
        while (!stop) {
            try {
                draw(false);
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the store may be busy; the next tick tries again
            }
        }
    }

    private void draw(boolean last) {
        int done = 0;
        long computed = 0;
        for (int r = 0; r < worldSize; r++) {
            Optional<Progress> p = store.getIfExists(layout.progress(r), OutputLayout.FIELD).map(b -> Json.read(b, Progress.class));
            if (p.isPresent()) {
                done += p.get().partitionsDone();
                computed += p.get().computedSamples();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = seconds > 0 ? computed / seconds : 0;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String eta = done > 0 && done < total ? String.format("  ETA %ds", Math.round(seconds / done * (total - done))) : "";
        String line = String.format("[%s%s] %d/%d partitions  %.0f samples/s  %.0fs%s", "#".repeat(filled),
                "-".repeat(WIDTH - filled), done, total, rate, seconds, eta);
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
            out.flush();
        } else if (last || System.nanoTime() - lastLine > 5_000_000_000L) {
            out.println(line);
            lastLine = System.nanoTime();
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(2_000);
            draw(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // the final line is a courtesy
        }
    }
}
