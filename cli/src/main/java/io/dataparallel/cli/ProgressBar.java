package io.dataparallel.cli;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Progress;
import io.dataparallel.core.Json;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.s3.ObjectStore;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Shows a local run's progress while it goes, read from the workers' {@code progress/<rank>.json}
 * files: the same source the operator uses. This class only reads the files and writes the
 * text; {@link ProgressView} decides what the line says and {@link ProgressOutput} how it is
 * shown on a terminal or in a log.
 */
final class ProgressBar implements AutoCloseable {
    private final ObjectStore store;
    private final OutputLayout layout;
    private final int worldSize;
    private final String planHash;
    private final PrintStream out;
    private final ProgressView view;
    private final ProgressOutput output;
    private final Thread thread;
    private volatile boolean stop;

    ProgressBar(ObjectStore store, OutputLayout layout, Plan plan, PrintStream out, boolean terminal) {
        this(store, layout, plan.worldSize(), plan.partitionCount(), plan.resumed().size(), PlanCodec.hash(plan), out, terminal);
    }

    /** @param doneEarlier partitions an earlier run computed: counted done from the start, never as speed */
    private ProgressBar(ObjectStore store, OutputLayout layout, int worldSize, int total, int doneEarlier, String planHash,
                        PrintStream out, boolean terminal) {
        this.planHash = planHash;
        this.store = store;
        this.layout = layout;
        this.worldSize = worldSize;
        this.out = out;
        this.view = new ProgressView(worldSize, total, doneEarlier, System.currentTimeMillis());
        this.output = new ProgressOutput(terminal);
        this.thread = DaemonThreads.named("progress").newThread(this::loop);
    }

    void start() {
        thread.start();
    }

    private void loop() {
        // many ranks mean many files to read per tick: read less often
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

    private synchronized void draw(boolean last) {
        Map<Integer, Progress> byRank = new HashMap<>();
        for (int r = 0; r < worldSize; r++) {
            int rank = r;
            store.getIfExists(layout.progress(rank), OutputLayout.FIELD).map(b -> Json.read(b, Progress.class))
                    .filter(p -> p.belongsTo(planHash)) // an earlier run's file until this run's worker writes its own
                    .ifPresent(p -> byRank.put(rank, p));
        }
        long now = System.currentTimeMillis();
        out.print(output.render(view.line(byRank, now, last), now, last));
        out.flush();
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
