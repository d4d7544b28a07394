package io.dataparallel.core.report;

import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.IsoTime;
import io.dataparallel.api.result.Quality;
import io.dataparallel.api.result.RunRecord;
import io.dataparallel.api.result.Summary;
import io.dataparallel.core.summary.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, no network) that
 * says first how the job ended and how long the user waited, then where the time went (the
 * worker timeline and samples/s over time), how good the predictions are when labels exist, and
 * every partition. A chart with no data is left out rather than drawn empty.
 */
public final class Report {
    private static final String CSS = "body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
            + "h1{margin:0 0 12px;font-size:22px}h2{margin:28px 0 8px;font-size:18px}"
            + ".banner{padding:14px 18px;border-radius:6px;margin:0 0 16px;border-left:8px solid}"
            + ".banner strong{font-size:20px;margin-right:12px}.banner.succeeded{background:#e8f6ee;border-color:#27ae60}"
            + ".banner.partial{background:#fef5e7;border-color:#f39c12}.banner.failed{background:#fdecea;border-color:#c0392b}"
            + ".facts{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 8px}.fact{background:#f6f7f9;border-radius:6px;padding:8px 14px}"
            + ".fact b{display:block;font-size:18px}.fact span{color:#666;font-size:12px}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}th{background:#f4f4f4}"
            + "td.n,th.n{text-align:right}tr.failed td{background:#fdecea}tr.resumed td{color:#777}"
            + "svg text{font:11px system-ui,sans-serif}svg text.failed{fill:#c0392b}.chart{display:block}"
            + ".legend .key{display:inline-block;margin:0 14px 4px 0}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}"
            + ".legend small{color:#666}.plots{display:flex;flex-wrap:wrap;gap:24px}figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}"
            + ".note{color:#666;font-size:12px;max-width:400px}";

    private Report() {
    }

    public static String html(ReportData data) {
        Summary s = data.summary();
        StringBuilder b = new StringBuilder(32_768);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dataparallel report: ")
                .append(Fmt.esc(s.job())).append("</title><style>").append(CSS).append("</style></head><body>");
        b.append("<h1>").append(Fmt.esc(s.job())).append("</h1>");
        banner(b, data.verdict());
        facts(b, data);
        Timeline.append(b, data.ranks(), s.failedWorkers(), s.failedPartitions());
        Throughput.append(b, data.ranks());
        QualitySvg.append(b, data.charts());
        PartitionTable.append(b, data.ranks(), data.resumed(), s.failedPartitions());
        table(b, s);
        return b.append("</body></html>").toString();
    }

    private static void banner(StringBuilder b, Verdict v) {
        String kind = !v.succeeded() ? "failed" : v.partial() ? "partial" : "succeeded";
        String word = !v.succeeded() ? "Failed" : v.partial() ? "Partly succeeded" : "Succeeded";
        b.append("<div id=\"banner\" class=\"banner ").append(kind).append("\"><strong>").append(word).append("</strong>")
                .append(Fmt.esc(v.message())).append("</div>");
    }

    private static void facts(StringBuilder b, ReportData data) {
        Summary s = data.summary();
        b.append("<div class=\"facts\">");
        if (data.jobStartedMs() != null) {
            fact(b, Fmt.seconds((data.writtenMs() - data.jobStartedMs()) / 1000.0), "waited, from the job's start to this report");
        } else if (!data.ranks().isEmpty()) {
            long first = data.ranks().stream().mapToLong(r -> r.startedMs()).min().getAsLong();
            fact(b, Fmt.seconds((data.writtenMs() - first) / 1000.0), "from the first worker's start to this report");
        }
        fact(b, Fmt.seconds(s.seconds()), s.earlierRuns().isEmpty() ? "workers' wall time" : "workers' wall time, all runs");
        fact(b, Fmt.count(s.samples()), "samples");
        fact(b, s.partitionsDone() + " / " + s.partitions(), "partitions done");
        if (s.partitionsResumed() > 0) {
            fact(b, Integer.toString(s.partitionsResumed()), "of them done earlier (skipped)");
            fact(b, Fmt.count(s.computedSamples()), "samples computed now");
        }
        fact(b, s.workers() + (s.failedWorkers().isEmpty() ? "" : " (" + s.failedWorkers().size() + " failed)"), "workers");
        fact(b, Fmt.num(s.samplesPerSecond()), "samples/s end to end");
        Quality q = s.quality();
        if (q != null && q.accuracy() != null) {
            fact(b, Fmt.num(q.accuracy() * 100) + "%", "accuracy");
        } else if (q != null && q.rmse() != null) {
            fact(b, Fmt.num(q.rmse()), "RMSE");
        }
        b.append("</div>");
    }

    private static void fact(StringBuilder b, String value, String label) {
        b.append("<div class=\"fact\"><b>").append(Fmt.esc(value)).append("</b><span>").append(Fmt.esc(label)).append("</span></div>");
    }

    /**
     * The page with its cost section replaced by {@code summary}'s. On a cluster the summarizer writes
     * the page before its own pod has ended, and only the operator knows the pods' requests and the
     * node pool's prices; it completes the cost afterwards and puts it here as in summary.json. A page
     * without the section (written by an older version) is returned as it was.
     */
    public static String withCost(String html, Summary summary) {
        int from = html.indexOf(COST_START);
        int to = html.indexOf(COST_END, from + 1);
        if (from < 0 || to < 0) {
            return html;
        }
        StringBuilder b = new StringBuilder(html.length() + 1024).append(html, 0, from);
        costSection(b, summary);
        return b.append(html, to + COST_END.length(), html.length()).toString();
    }

    private static final String COST_START = "<!--cost-->";
    private static final String COST_END = "<!--/cost-->";

    /** The cost rows in a section of their own, between markers {@link #withCost} finds again. */
    private static void costSection(StringBuilder b, Summary s) {
        b.append(COST_START);
        List<String[]> rows = new ArrayList<>();
        boolean earlier = !s.earlierRuns().isEmpty();
        costRows(rows, s.thisRun() == null ? s.cost() : s.thisRun().cost(), earlier ? " (this run)" : "");
        if (earlier) {
            costRows(rows, s.cost(), " (all " + (s.earlierRuns().size() + 1) + " runs)");
        }
        if (!rows.isEmpty()) {
            rows(b, "cost", "Cost", rows);
        }
        b.append(COST_END);
    }

    /** Billed cost where the node pool's prices are known, else the pod seconds that are the cost. */
    private static void costRows(List<String[]> rows, Cost c, String which) {
        if (c == null) {
            return;
        }
        if (c.billed() != null) {
            rows.add(new String[] {"billed cost" + which, Fmt.num(c.billed())});
        }
        rows.add(new String[] {"pod seconds (" + (c.pods() == null ? "workers" : "all pods") + ")" + which, Fmt.num(c.podSeconds())});
        if (c.pods() != null) {
            for (Cost.PodCost p : c.pods()) {
                rows.add(new String[] {"cost of " + p.role() + " pods" + which, p.pods() + " × (" + Fmt.num(p.cpus()) + " CPU, "
                        + Fmt.num(p.memoryGib()) + " GiB" + (p.gpus() > 0 ? ", " + Fmt.num(p.gpus()) + " GPU" : "") + "), "
                        + Fmt.seconds(p.seconds()) + (p.billed() == null ? "" : ": " + Fmt.num(p.billed()))});
            }
        }
    }

    /** Each run of the job, oldest first: what it computed, on how many workers, in how long. */
    private static String runs(Summary s) {
        List<String> parts = new ArrayList<>();
        List<RunRecord> all = new ArrayList<>(s.earlierRuns());
        if (s.thisRun() != null) {
            all.add(s.thisRun());
        }
        for (RunRecord r : all) {
            parts.add((r == s.thisRun() ? "this run: " : IsoTime.of(r.startedMs()) + ": ") + Fmt.count(r.computedSamples())
                    + " samples in " + r.partitionsComputed() + " partitions on " + r.workers() + " workers, " + Fmt.seconds(r.seconds()));
        }
        return String.join("; ", parts);
    }

    private static void table(StringBuilder b, Summary s) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"samples/s compute only" + (s.earlierRuns().isEmpty() ? "" : ", all runs together"),
                Fmt.num(s.computeSamplesPerSecond())});
        if (s.partitionsResumed() > 0) {
            rows.add(new String[] {"samples computed now / done earlier", Fmt.count(s.computedSamples()) + " / "
                    + Fmt.count(s.resumedSamples())});
        }
        if (!s.earlierRuns().isEmpty()) {
            rows.add(new String[] {"runs", runs(s)});
        }
        rows.add(new String[] {"throughput_bps (CAI)", Fmt.num(s.throughputBps())});
        rows.add(new String[] {"mean seconds per batch", Fmt.num(s.meanSecondsPerBatch())});
        rows.add(new String[] {"S3 download seconds (all workers)", Fmt.num(s.downloadSeconds())});
        rows.add(new String[] {"model load seconds (mean)", Fmt.num(s.modelLoadSeconds())});
        rows.add(new String[] {"CPU seconds", Fmt.num(s.cpuSeconds())});
        rows.add(new String[] {"GPU seconds", Fmt.num(s.gpuSeconds())});
        if (s.slowestWorker() != null) {
            rows.add(new String[] {"slowest worker", "rank " + s.slowestWorker().rank() + ", " + Fmt.seconds(s.slowestWorker().seconds())});
            rows.add(new String[] {"fastest worker", "rank " + s.fastestWorker().rank() + ", " + Fmt.seconds(s.fastestWorker().seconds())});
        }
        Quality q = s.quality();
        if (q != null) {
            rows.add(new String[] {"quality", q.task() + " over " + Fmt.count(q.samples()) + " samples"});
            if (q.accuracy() != null) {
                rows.add(new String[] {"accuracy", Fmt.num(q.accuracy())});
            } else {
                rows.add(new String[] {"MAE / RMSE / bias", Fmt.num(q.mae()) + " / " + Fmt.num(q.rmse()) + " / " + Fmt.num(q.bias())});
                rows.add(new String[] {"NMAD / outlier fraction", Fmt.num(q.nmad()) + " / " + Fmt.num(q.outlierFraction())});
            }
            if (q.nonFinite() != null && q.nonFinite() > 0) {
                rows.add(new String[] {"not finite", Fmt.count(q.nonFinite()) + " samples whose prediction or label is not a finite number,"
                        + " left out of the figures above"});
            }
        }
        rows(b, "summary", "Figures", rows);
        costSection(b, s);
    }

    private static void rows(StringBuilder b, String id, String title, List<String[]> rows) {
        b.append("<section id=\"").append(id).append("\"><h2>").append(title).append("</h2><table>");
        for (String[] r : rows) {
            b.append("<tr><th>").append(Fmt.esc(r[0])).append("</th><td>").append(Fmt.esc(r[1])).append("</td></tr>");
        }
        b.append("</table></section>");
    }
}
