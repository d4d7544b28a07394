package io.dataparallel.core.report;

import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, no network)
 * that shows where a job's time went: a timeline per worker with each partition's download,
 * decode, compute and upload, the job's samples/s over time, and the summary table.
 */
public final class Report {
    private static final int WIDTH = 960;
    private static final int ROW = 22;
    private static final int LEFT = 70;
    private static final String[] COLORS = {"#8fb8de", "#c9a0dc", "#4c9a4c", "#e0a050"};
    private static final String[] PHASES = {"download", "decode", "compute", "upload"};

    private Report() {
    }

    public static String html(Summary summary, List<RankResult> ranks) {
        long t0 = ranks.stream().mapToLong(RankResult::startedMs).min().orElse(0);
        long t1 = ranks.stream().mapToLong(RankResult::finishedMs).max().orElse(t0 + 1);
        double span = Math.max(1, t1 - t0);
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>dataparallel report: ")
                .append(esc(summary.job())).append("</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f4f4f4}")
                .append("svg text{font:11px system-ui,sans-serif}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}")
                .append("</style></head><body>");
        b.append("<h1>").append(esc(summary.job())).append("</h1>");
        b.append("<p>").append(summary.samples()).append(" samples in ").append(summary.partitionsDone()).append('/')
                .append(summary.partitions()).append(" partitions on ").append(summary.workers()).append(" workers; ")
                .append(fmt(summary.seconds())).append(" s wall, ").append(fmt(summary.samplesPerSecond()))
                .append(" samples/s end to end, ").append(fmt(summary.computeSamplesPerSecond())).append(" compute only.</p>");
        timeline(b, ranks, t0, span);
        throughput(b, ranks, t0, span);
        table(b, summary);
        failed(b, summary.failedPartitions());
        return b.append("</body></html>").toString();
    }

    private static void timeline(StringBuilder b, List<RankResult> ranks, long t0, double span) {
        int height = ranks.size() * ROW + 30;
        b.append("<h2>Where the time went</h2><div class=\"legend\">");
        for (int i = 0; i < PHASES.length; i++) {
            b.append("<span style=\"background:").append(COLORS[i]).append("\"></span>").append(PHASES[i]);
        }
        b.append(" (downloads overlap the previous partition's compute)</div>");
        b.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(height).append("\">");
        int y = 5;
        for (RankResult r : ranks) {
            b.append("<text x=\"0\" y=\"").append(y + 14).append("\">rank ").append(r.rank()).append("</text>");
            bar(b, x(r.startedMs(), t0, span), y + 16, x(r.finishedMs(), t0, span), 2, "#999", "worker " + r.rank() + " end to end");
            for (PartitionResult p : r.partitions()) {
                if (p.resumed()) {
                    continue;
                }
                long dl = p.startedMs() + Math.round(p.downloadSeconds() * 1000);
                long dec = dl + Math.round(p.decodeSeconds() * 1000);
                long comp = p.computeStartedMs() + Math.round(p.computeSeconds() * 1000);
                long up = p.finishedMs() - Math.round(p.uploadSeconds() * 1000);
                String key = esc(p.key());
                bar(b, x(p.startedMs(), t0, span), y + 2, x(dl, t0, span), 6, COLORS[0], key + " download " + fmt(p.downloadSeconds()) + " s");
                bar(b, x(dl, t0, span), y + 2, x(dec, t0, span), 6, COLORS[1], key + " decode " + fmt(p.decodeSeconds()) + " s");
                bar(b, x(p.computeStartedMs(), t0, span), y + 8, x(comp, t0, span), 8, COLORS[2],
                        key + " compute " + fmt(p.computeSeconds()) + " s, " + p.samples() + " samples");
                bar(b, x(up, t0, span), y + 8, x(p.finishedMs(), t0, span), 8, COLORS[3], key + " upload " + fmt(p.uploadSeconds()) + " s");
            }
            y += ROW;
        }
        axis(b, y + 5, span);
        b.append("</svg>");
    }

    private static void throughput(StringBuilder b, List<RankResult> ranks, long t0, double span) {
        int bins = 60;
        double[] samples = new double[bins];
        double binMs = span / bins;
        for (RankResult r : ranks) {
            for (PartitionResult p : r.partitions()) {
                if (p.resumed() || p.samples() == 0) {
                    continue;
                }
                // a partition's samples are spread over its compute interval: the rate the workers sustained
                double start = p.computeStartedMs() - t0;
                double end = start + Math.max(1, p.computeSeconds() * 1000);
                for (int i = (int) Math.max(0, start / binMs); i < bins && i * binMs < end; i++) {
                    double overlap = Math.min(end, (i + 1) * binMs) - Math.max(start, i * binMs);
                    samples[i] += p.samples() * Math.max(0, overlap) / (end - start);
                }
            }
        }
        double binSeconds = span / 1000.0 / bins;
        double max = 1;
        for (double s : samples) {
            max = Math.max(max, s / binSeconds);
        }
        int h = 160;
        b.append("<h2>Samples/s over time (compute)</h2><svg width=\"").append(WIDTH).append("\" height=\"").append(h + 30).append("\">");
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < bins; i++) {
            double rate = samples[i] / binSeconds;
            int px = LEFT + (int) ((WIDTH - LEFT - 10) * (i + 0.5) / bins);
            int py = 5 + (int) (h - h * rate / max);
            points.append(px).append(',').append(py).append(' ');
        }
        b.append("<polyline fill=\"none\" stroke=\"#4c9a4c\" stroke-width=\"2\" points=\"").append(points).append("\"/>");
        b.append("<text x=\"0\" y=\"15\">").append(fmt(max)).append("/s</text><text x=\"0\" y=\"").append(h + 5).append("\">0</text>");
        axis(b, h + 10, span);
        b.append("</svg>");
    }

    private static void table(StringBuilder b, Summary s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"samples", Long.toString(s.samples())});
        rows.add(new String[] {"partitions done", s.partitionsDone() + "/" + s.partitions()});
        rows.add(new String[] {"workers (failed)", s.workers() + " (" + s.failedWorkers().size() + ")"});
        rows.add(new String[] {"wall seconds", fmt(s.seconds())});
        rows.add(new String[] {"samples/s end to end", fmt(s.samplesPerSecond())});
        rows.add(new String[] {"samples/s compute only", fmt(s.computeSamplesPerSecond())});
        rows.add(new String[] {"throughput_bps (CAI)", fmt(s.throughputBps())});
        rows.add(new String[] {"mean seconds per batch", fmt(s.meanSecondsPerBatch())});
        rows.add(new String[] {"S3 download seconds (all workers)", fmt(s.downloadSeconds())});
        rows.add(new String[] {"model load seconds (mean)", fmt(s.modelLoadSeconds())});
        rows.add(new String[] {"CPU seconds", fmt(s.cpuSeconds())});
        rows.add(new String[] {"GPU seconds", fmt(s.gpuSeconds())});
        if (s.slowestWorker() != null) {
            rows.add(new String[] {"slowest worker", "rank " + s.slowestWorker().rank() + ", " + fmt(s.slowestWorker().seconds()) + " s"});
            rows.add(new String[] {"fastest worker", "rank " + s.fastestWorker().rank() + ", " + fmt(s.fastestWorker().seconds()) + " s"});
        }
        if (s.quality() != null) {
            var q = s.quality();
            rows.add(new String[] {"quality", q.task() + " over " + q.samples() + " samples"});
            if (q.accuracy() != null) {
                rows.add(new String[] {"accuracy", fmt(q.accuracy())});
            } else {
                rows.add(new String[] {"MAE / RMSE / bias", fmt(q.mae()) + " / " + fmt(q.rmse()) + " / " + fmt(q.bias())});
                rows.add(new String[] {"NMAD / outlier fraction", fmt(q.nmad()) + " / " + fmt(q.outlierFraction())});
            }
            if (q.nonFinite() != null && q.nonFinite() > 0) {
                rows.add(new String[] {"not finite", q.nonFinite() + " samples whose prediction or label is not a finite number,"
                        + " left out of the figures above"});
            }
        }
        b.append("<h2>Summary</h2><table>");
        for (String[] r : rows) {
            b.append("<tr><th>").append(esc(r[0])).append("</th><td>").append(esc(r[1])).append("</td></tr>");
        }
        b.append("</table>");
    }

    private static void failed(StringBuilder b, List<FailedPartition> failed) {
        if (failed.isEmpty()) {
            return;
        }
        b.append("<h2>Failed partitions</h2><table><tr><th>partition</th><th>rank</th><th>reason</th></tr>");
        for (FailedPartition f : failed) {
            b.append("<tr><td>").append(esc(f.partition())).append("</td><td>").append(f.rank()).append("</td><td>")
                    .append(esc(f.reason())).append("</td></tr>");
        }
        b.append("</table>");
    }

    private static void bar(StringBuilder b, int x0, int y, int x1, int h, String color, String title) {
        b.append("<rect x=\"").append(x0).append("\" y=\"").append(y).append("\" width=\"").append(Math.max(1, x1 - x0))
                .append("\" height=\"").append(h).append("\" fill=\"").append(color).append("\"><title>").append(title)
                .append("</title></rect>");
    }

    private static void axis(StringBuilder b, int y, double span) {
        for (int i = 0; i <= 4; i++) {
            int px = LEFT + (WIDTH - LEFT - 10) * i / 4;
            b.append("<text x=\"").append(px - 8).append("\" y=\"").append(y + 12).append("\">")
                    .append(fmt(span / 1000.0 * i / 4)).append(" s</text>");
        }
    }

    private static int x(long t, long t0, double span) {
        return LEFT + (int) ((WIDTH - LEFT - 10) * Math.max(0, t - t0) / span);
    }

    /** Unknown (null) and non-finite figures show as a dash: never "NaN" on the page. */
    private static String fmt(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return "—";
        }
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
