package io.dataparallel.cli;

import io.dataparallel.api.result.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the workers' progress files, read at moments in time, into the one progress line.
 * No I/O and no clock of its own: the caller passes each snapshot with the time it was read,
 * so a test can replay a run. Call {@link #line} in time order.
 *
 * <p>What it promises the reader: the count never goes backwards (a retried worker starts its
 * file over); partitions skipped because their prediction already existed count as done but
 * never as speed; the rate is over the last {@link #WINDOW_MS}, not since the start; the ETA
 * is set only when a partition finishes and counts down between finishes, so it never grows
 * while nothing finishes, and it is hidden once overdue or at the end.
 */
final class ProgressView {
    static final long WINDOW_MS = 20_000;
    private static final int BAR = 20;

    /**
     * One progress line, and its gist: the part without clock, rate and ETA, which change on every
     * tick, so that a log can print a line when the gist changes.
     */
    record Line(String text, String gist) {
    }

    /** The running totals at one moment, for the sliding window. */
    private record Point(long atMs, long computedSamples, long computedPartitions) {
    }

    /** One rank's figures, with what earlier attempts of the rank computed before they were restarted. */
    private static final class RankTally {
        long samplesBefore;
        long partitionsBefore;
        long samples;
        long partitions;
        int maxDone;
        int maxResumed;

        void update(Progress p) {
            long computedPartitions = p.partitionsDone() - p.partitionsResumed();
            if (p.computedSamples() < samples || computedPartitions < partitions) {
                // a new attempt: its file starts from zero and skips what the last attempt wrote
                samplesBefore += samples;
                partitionsBefore += partitions;
            }
            samples = p.computedSamples();
            partitions = computedPartitions;
            maxDone = Math.max(maxDone, p.partitionsDone());
            maxResumed = Math.max(maxResumed, p.partitionsResumed());
        }
    }

    private final int worldSize;
    private final int total;
    private final int doneEarlier;
    private final long startedMs;
    private final Map<Integer, RankTally> tallies = new HashMap<>();
    private final List<Point> history = new ArrayList<>();
    private long computedPartitions;
    private long etaAtMs = -1;

    ProgressView(int worldSize, int total, long startedMs) {
        this(worldSize, total, 0, startedMs);
    }

    /** @param doneEarlier partitions an earlier run computed, which no worker of this run sees: done from the start */
    ProgressView(int worldSize, int total, int doneEarlier, long startedMs) {
        this.worldSize = worldSize;
        this.total = total;
        this.doneEarlier = doneEarlier;
        this.startedMs = startedMs;
        history.add(new Point(startedMs, 0, 0));
    }

    /**
     * The line for the progress files read at {@code nowMs}, keyed by rank (a rank without a file
     * is absent). {@code last} is the final line, after the workers stopped.
     */
    Line line(Map<Integer, Progress> byRank, long nowMs, boolean last) {
        byRank.forEach((rank, p) -> tallies.computeIfAbsent(rank, r -> new RankTally()).update(p));
        int done = doneEarlier;
        int resumed = doneEarlier;
        long samples = 0;
        long partitions = 0;
        for (RankTally t : tallies.values()) {
            done += t.maxDone;
            resumed += t.maxResumed;
            samples += t.samplesBefore + t.samples;
            partitions += t.partitionsBefore + t.partitions;
        }
        done = Math.min(done, total);
        Point then = windowStart(nowMs);
        history.add(new Point(nowMs, samples, partitions));
        if (partitions > computedPartitions) {
            computedPartitions = partitions;
            double perMs = (double) (partitions - then.computedPartitions()) / Math.max(1, nowMs - then.atMs());
            etaAtMs = done < total && perMs > 0 ? nowMs + Math.round((total - done) / perMs) : -1;
        }

        StringBuilder b = new StringBuilder(100);
        int filled = total == 0 ? BAR : BAR * done / total;
        b.append('[').append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ")
                .append(done).append('/').append(total).append(" partitions");
        if (resumed > 0) {
            b.append(" (").append(resumed).append(" already done)");
        }
        b.append(" · ").append(last ? (done == total ? "finished" : "stopped") : phase(byRank));
        long failed = byRank.values().stream().filter(p -> Progress.FAILED.equals(p.state())).count();
        if (failed > 0) {
            b.append(" · ").append(failed).append(failed == 1 ? " worker failed" : " workers failed");
        }
        String gist = b.toString();
        if (!last && samples > 0) {
            double rate = (samples - then.computedSamples()) * 1000.0 / Math.max(1, nowMs - then.atMs());
            b.append(" · ").append(count(rate)).append(" samples/s");
        }
        if (!last && done < total && etaAtMs > nowMs) {
            b.append(" · ETA ").append(duration(etaAtMs - nowMs));
        }
        b.append(" · ").append(duration(nowMs - startedMs));
        return new Line(b.toString(), gist);
    }

    /** The latest point at least a window old, or the first one while the run is younger; older points go. */
    private Point windowStart(long nowMs) {
        int start = 0;
        while (start + 1 < history.size() && history.get(start + 1).atMs() <= nowMs - WINDOW_MS) {
            start++;
        }
        history.subList(0, start).clear();
        return history.get(0);
    }

    /**
     * What the workers are doing, only as far as their files tell: no file yet means the worker
     * is starting (or waiting for a free slot), a file before {@code modelLoaded} means loading.
     */
    private String phase(Map<Integer, Progress> byRank) {
        boolean loading = false;
        boolean allDone = byRank.size() == worldSize;
        for (Progress p : byRank.values()) {
            if (Progress.RUNNING.equals(p.state()) && p.modelLoaded()) {
                return "computing";
            }
            loading |= Progress.RUNNING.equals(p.state());
            allDone &= Progress.DONE.equals(p.state());
        }
        if (loading) {
            return "loading model";
        }
        if (allDone) {
            return "finishing";
        }
        // failed workers wait for their retry; ranks without a file wait for a slot or are starting
        return byRank.size() < worldSize ? "starting workers" : "waiting";
    }

    /** 950, 1.2k, 34k, 1.5M: a rate people read at a glance. */
    static String count(double v) {
        if (v < 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v < 1e6) {
            return String.format(Locale.ROOT, v < 1e4 ? "%.1fk" : "%.0fk", v / 1e3);
        }
        return String.format(Locale.ROOT, v < 1e7 ? "%.1fM" : "%.0fM", v / 1e6);
    }

    /** 7s, 2m05s, 1h02m. */
    static String duration(long ms) {
        long s = Math.round(ms / 1000.0);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }
}
