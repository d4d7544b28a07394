package io.dataparallel.core.report;

import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The worker timeline: one row per rank across the page's width, with what the rank result
 * records. Three lanes per row because the work overlaps: the prefetch thread downloads and
 * decodes the next partition while the current one computes, and the upload thread writes the
 * previous prediction. Ranks that left no result get a row that says why instead of bars.
 */
final class Timeline {
    static final int WIDTH = 1200;
    static final int LEFT = 80;
    private static final int RIGHT = 10;
    private static final int ROW = 28;

    /** A kind of work, its colour and what the legend says about it. */
    enum Kind {
        STARTUP("start-up", "#b8b8b8", "process start to the first download: JVM, plan, output check"),
        MODEL("model load", "#8e44ad", "placed from the first download, which runs alongside it"),
        DOWNLOAD("download", "#3498db", null),
        DECODE("decode", "#f39c12", null),
        COMPUTE("compute", "#27ae60", null),
        UPLOAD("upload", "#e74c3c", null),
        RESUMED("resumed", "#dfe4ea", "prediction already there: skipped");

        final String label;
        final String color;
        final String note;

        Kind(String label, String color, String note) {
            this.label = label;
            this.color = color;
            this.note = note;
        }
    }

    private final long t0;
    private final double span;

    private Timeline(long t0, long t1) {
        this.t0 = t0;
        this.span = Math.max(1, t1 - t0);
    }

    /** Appends the timeline section; nothing when no worker left a result and none failed. */
    static void append(StringBuilder b, List<RankResult> ranks, List<Integer> failedRanks, List<FailedPartition> failed) {
        if (ranks.isEmpty() && failedRanks.isEmpty()) {
            return;
        }
        long t0 = ranks.stream().mapToLong(RankResult::startedMs).min().orElse(0);
        long t1 = ranks.stream().mapToLong(RankResult::finishedMs).max().orElse(t0 + 1);
        Map<Integer, String> reasons = new TreeMap<>();
        failed.forEach(f -> reasons.putIfAbsent(f.rank(), f.reason()));
        new Timeline(t0, t1).draw(b, ranks, failedRanks, reasons);
    }

    private void draw(StringBuilder b, List<RankResult> ranks, List<Integer> failedRanks, Map<Integer, String> reasons) {
        b.append("<section id=\"timeline\"><h2>Worker timeline</h2><div class=\"legend\">");
        for (Kind k : Kind.values()) {
            b.append("<span class=\"key\"><i style=\"background:").append(k.color).append("\"></i>").append(k.label);
            if (k.note != null) {
                b.append(" <small>(").append(k.note).append(")</small>");
            }
            b.append("</span>");
        }
        b.append("</div>");
        int rows = ranks.size() + failedRanks.size();
        int height = rows * ROW + 30;
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"100%\" role=\"img\" aria-label=\"worker timeline\">");
        int y = 4;
        for (RankResult r : ranks) {
            rank(b, r, y);
            y += ROW;
        }
        for (int rank : failedRanks) {
            b.append("<text x=\"0\" y=\"").append(y + 16).append("\">rank ").append(rank).append("</text>")
                    .append("<text class=\"failed\" x=\"").append(LEFT).append("\" y=\"").append(y + 16).append("\">failed, no timings: ")
                    .append(Fmt.esc(reasons.getOrDefault(rank, "no result"))).append("</text>");
            y += ROW;
        }
        axis(b, y + 4, span);
        b.append("</svg></section>");
    }

    private void rank(StringBuilder b, RankResult r, int y) {
        b.append("<text x=\"0\" y=\"").append(y + 16).append("\">rank ").append(r.rank()).append("</text>");
        List<PartitionResult> parts = r.partitions();
        long firstDownload = parts.isEmpty() ? r.finishedMs() : parts.get(0).startedMs();
        bar(b, r.startedMs(), firstDownload, y + 9, 10, Kind.STARTUP, "rank " + r.rank() + " start-up " + secs(r.startedMs(), firstDownload));
        if (r.modelLoadSeconds() > 0) {
            bar(b, firstDownload, firstDownload + ms(r.modelLoadSeconds()), y + 9, 10, Kind.MODEL,
                    "rank " + r.rank() + " model load " + Fmt.seconds(r.modelLoadSeconds()));
        }
        for (PartitionResult p : parts) {
            String key = Fmt.esc(p.key());
            if (p.resumed()) {
                long at = Math.max(p.finishedMs(), r.startedMs()); // an earlier attempt's times lie before this rank's start
                bar(b, at, at + 1, y + 9, 10, Kind.RESUMED, key + " resumed");
                continue;
            }
            long downloaded = p.startedMs() + ms(p.downloadSeconds());
            long decoded = downloaded + ms(p.decodeSeconds());
            long uploadStart = p.finishedMs() - ms(p.uploadSeconds());
            bar(b, p.startedMs(), downloaded, y + 1, 6, Kind.DOWNLOAD, key + " download " + Fmt.seconds(p.downloadSeconds()));
            bar(b, downloaded, decoded, y + 1, 6, Kind.DECODE, key + " decode " + Fmt.seconds(p.decodeSeconds()));
            bar(b, p.computeStartedMs(), p.computeStartedMs() + ms(p.computeSeconds()), y + 9, 10, Kind.COMPUTE,
                    key + " compute " + Fmt.seconds(p.computeSeconds()) + ", " + Fmt.count(p.samples()) + " samples");
            bar(b, uploadStart, p.finishedMs(), y + 21, 5, Kind.UPLOAD, key + " upload " + Fmt.seconds(p.uploadSeconds()));
        }
    }

    private void bar(StringBuilder b, long from, long to, int y, int h, Kind kind, String title) {
        int x0 = x(from);
        b.append("<rect class=\"").append(kind.name().toLowerCase()).append("\" x=\"").append(x0).append("\" y=\"").append(y)
                .append("\" width=\"").append(Math.max(1, x(to) - x0)).append("\" height=\"").append(h).append("\" fill=\"")
                .append(kind.color).append("\"><title>").append(title).append("</title></rect>");
    }

    /** Five time marks under a chart that spans {@code span} ms from {@link #LEFT} to the right edge. */
    static void axis(StringBuilder b, int y, double span) {
        b.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y2=\"").append(y).append("\" stroke=\"#999\"/>");
        for (int i = 0; i <= 4; i++) {
            int px = LEFT + (WIDTH - LEFT - RIGHT) * i / 4;
            b.append("<text x=\"").append(px).append("\" y=\"").append(y + 14).append("\" text-anchor=\"")
                    .append(i == 0 ? "start" : i == 4 ? "end" : "middle").append("\">")
                    .append(Fmt.seconds(span / 1000.0 * i / 4)).append("</text>");
        }
    }

    static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private int x(long t) {
        return LEFT + (int) (plotWidth() * Math.min(1, Math.max(0, t - t0) / span));
    }

    private static long ms(double seconds) {
        return Math.round(seconds * 1000);
    }

    private static String secs(long from, long to) {
        return Fmt.seconds((to - from) / 1000.0);
    }
}
