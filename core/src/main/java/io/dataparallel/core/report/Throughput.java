package io.dataparallel.core.report;

import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.result.RankResult;
import java.util.List;

/** The job's samples/s over time, all workers together, from each partition's compute interval. */
final class Throughput {
    private static final int BINS = 60;
    private static final int HEIGHT = 160;

    private Throughput() {
    }

    /** Appends the chart; nothing when no sample was computed (a fully resumed or failed job). */
    static void append(StringBuilder b, List<RankResult> ranks) {
        long t0 = ranks.stream().mapToLong(RankResult::startedMs).min().orElse(0);
        double span = Math.max(1, ranks.stream().mapToLong(RankResult::finishedMs).max().orElse(t0) - t0);
        double[] samples = new double[BINS];
        double binMs = span / BINS;
        boolean any = false;
        for (RankResult r : ranks) {
            for (PartitionResult p : r.partitions()) {
                if (p.resumed() || p.samples() == 0) {
                    continue;
                }
                any = true;
                // a partition's samples are spread over its compute interval: the rate the workers sustained
                double start = p.computeStartedMs() - t0;
                double end = start + Math.max(1, p.computeSeconds() * 1000);
                for (int i = (int) Math.max(0, start / binMs); i < BINS && i * binMs < end; i++) {
                    double overlap = Math.min(end, (i + 1) * binMs) - Math.max(start, i * binMs);
                    samples[i] += p.samples() * Math.max(0, overlap) / (end - start);
                }
            }
        }
        if (!any) {
            return;
        }
        double binSeconds = span / 1000.0 / BINS;
        double max = 1;
        for (double s : samples) {
            max = Math.max(max, s / binSeconds);
        }
        b.append("<section id=\"throughput\"><h2>Samples/s over time (compute, all workers)</h2><svg class=\"chart\" viewBox=\"0 0 ")
                .append(Timeline.WIDTH).append(' ').append(HEIGHT + 30).append("\" width=\"100%\" role=\"img\" aria-label=\"samples per second\">");
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < BINS; i++) {
            int px = Timeline.LEFT + (int) (Timeline.plotWidth() * (i + 0.5) / BINS);
            int py = 5 + (int) (HEIGHT - HEIGHT * samples[i] / binSeconds / max);
            points.append(px).append(',').append(py).append(' ');
        }
        b.append("<polyline fill=\"none\" stroke=\"").append(Timeline.Kind.COMPUTE.color).append("\" stroke-width=\"2\" points=\"")
                .append(points).append("\"/>");
        b.append("<text x=\"0\" y=\"15\">").append(Fmt.num(max)).append("/s</text><text x=\"0\" y=\"").append(HEIGHT + 5).append("\">0</text>");
        Timeline.axis(b, HEIGHT + 10, span);
        b.append("</svg></section>");
    }
}
