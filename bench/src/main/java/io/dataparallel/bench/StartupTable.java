package io.dataparallel.bench;

import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Where benchmark 1's end-to-end seconds go, the worker beside the CAI-style Python workers:
 * start-up against compute is what decides the ratio on short jobs, so the table shows it
 * rather than leaving it to a guess. Each cell is the median over the runs.
 */
final class StartupTable {
    private StartupTable() {
    }

    static String markdown(List<WorkerRuns.Run> worker, List<PythonRefs.Ref> refs, List<List<Map<?, ?>>> python) {
        StringBuilder t = new StringBuilder("| phase | worker");
        refs.forEach(r -> t.append(" | CAI-style, ").append(r.label()));
        t.append(" |\n|---|---").append("|---".repeat(refs.size())).append("|\n");
        row(t, "process, end to end", worker, WorkerRuns.Run::wallSeconds, python, p -> num(p, "wall"));
        row(t, "start: JVM or interpreter, imports and classes, plan, S3 client (worker: the first download runs beside"
                + " it and the model load)", worker, StartupTable::otherStart, python, p -> num(p, "wall") - num(p, "download")
                - num(p, "model_load") - num(p, "compute") - num(p, "upload"));
        row(t, "model load (CAI-style: once per partition, as CAI does)", worker, r -> r.rank().modelLoadSeconds(),
                python, p -> num(p, "model_load"));
        row(t, "compute", worker, r -> r.rank().computeSeconds(), python, p -> num(p, "compute"));
        row(t, "of which batch size and replica trials (their rows are kept)", worker, StartupTable::trials, python, p -> 0);
        row(t, "after the first forward, besides compute (worker: downloads and uploads not hidden, rank result;"
                + " CAI-style: every download and upload)", worker, r -> r.wallSeconds() - toFirstCompute(r) - r.rank().computeSeconds(),
                python, p -> num(p, "download") + num(p, "upload"));
        // on one machine the S3 server runs on the same cores: overlapped with compute (the worker's
        // prefetch) it takes from the forward what a remote S3 would not; in turn (CAI-style) it does not
        row(t, "CPU seconds the S3 server used during the process (the benchmark's JVM; worker: beside its compute)",
                worker, WorkerRuns.Run::serverCpuSeconds, python, p -> num(p, "server_cpu"));
        row(t, "the process's own CPU seconds", worker, r -> r.rank().cpuSeconds(), python, p -> num(p, "cpu"));
        return t.toString();
    }

    /** Process start to the first forward of a partition (its trials are its first forwards). */
    private static double toFirstCompute(WorkerRuns.Run r) {
        RankResult rank = r.rank();
        long first = rank.partitions().stream().filter(p -> !p.resumed()).mapToLong(PartitionResult::computeStartedMs).min()
                .orElse(rank.finishedMs());
        // the JVM's start as the process saw it; the launch before it is in the wall time only
        double launch = r.wallSeconds() - (rank.finishedMs() - rank.startedMs()) / 1000.0;
        return Math.max(0, launch) + (first - rank.startedMs()) / 1000.0;
    }

    private static double otherStart(WorkerRuns.Run r) {
        return toFirstCompute(r) - r.rank().modelLoadSeconds();
    }

    private static double trials(WorkerRuns.Run r) {
        return r.rank().tuning() == null ? 0 : r.rank().tuning().seconds();
    }

    private static void row(StringBuilder t, String phase, List<WorkerRuns.Run> worker, ToDoubleFunction<WorkerRuns.Run> w,
                            List<List<Map<?, ?>>> python, ToDoubleFunction<Map<?, ?>> p) {
        t.append("| ").append(phase).append(" | ").append(fmt(Figure.median(worker.stream().mapToDouble(w).toArray())));
        for (List<Map<?, ?>> runs : python) {
            t.append(" | ").append(fmt(Figure.median(runs.stream().mapToDouble(p).toArray())));
        }
        t.append(" |\n");
    }

    private static double num(Map<?, ?> report, String key) {
        return WorkerRuns.number(report, key);
    }

    private static String fmt(double seconds) {
        return String.format(Locale.ROOT, "%.2f", seconds);
    }
}
