package io.dataparallel.core.report;

import io.dataparallel.core.report.QualityCharts.Confusion;
import io.dataparallel.core.report.QualityCharts.Density;
import io.dataparallel.core.report.QualityCharts.Histogram;

/** The quality plots: predicted against true value and residuals for regression, a confusion matrix for classification. */
final class QualitySvg {
    private static final int SIZE = 360;
    private static final int PAD = 44;

    private QualitySvg() {
    }

    /** Appends the section; nothing when there is no plot to show. */
    static void append(StringBuilder b, QualityCharts charts) {
        if (charts == null || (charts.density() == null && charts.residuals() == null && charts.confusion() == null)) {
            return;
        }
        b.append("<section id=\"quality\"><h2>Prediction quality</h2><div class=\"plots\">");
        if (charts.density() != null) {
            density(b, charts.density());
        }
        if (charts.residuals() != null) {
            histogram(b, charts.residuals());
        }
        if (charts.confusion() != null) {
            confusion(b, charts.confusion());
        }
        b.append("</div></section>");
    }

    private static void density(StringBuilder b, Density d) {
        int n = d.counts().length;
        long max = 1;
        for (long[] row : d.counts()) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        double cell = (double) SIZE / n;
        open(b, "density", "predicted against true value");
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                long c = d.counts()[t][p];
                if (c == 0) {
                    continue;
                }
                // log shading: a dense core must not hide the sparse outliers around it
                double shade = Math.log1p(c) / Math.log1p(max);
                b.append("<rect x=\"").append(f(PAD + t * cell)).append("\" y=\"").append(f(SIZE - (p + 1) * cell))
                        .append("\" width=\"").append(f(cell + 0.3)).append("\" height=\"").append(f(cell + 0.3))
                        .append("\" fill=\"").append(blue(shade)).append("\"><title>").append(Fmt.count(c)).append(" samples</title></rect>");
            }
        }
        b.append("<line x1=\"").append(PAD).append("\" y1=\"").append(SIZE).append("\" x2=\"").append(PAD + SIZE)
                .append("\" y2=\"0\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>");
        frame(b, Fmt.num(d.lo()), Fmt.num(d.hi()), "true value", "predicted");
        close(b, "both axes " + Fmt.num(d.lo()) + " to " + Fmt.num(d.hi()) + "; dashed: prediction = truth; darker: more samples"
                + (d.outside() > 0 ? "; " + Fmt.count(d.outside()) + " samples outside the plotted range" : ""));
    }

    private static void histogram(StringBuilder b, Histogram h) {
        long max = 1;
        for (long c : h.counts()) {
            max = Math.max(max, c);
        }
        double w = (double) SIZE / h.counts().length;
        open(b, "residuals", "residuals (predicted − true)");
        for (int i = 0; i < h.counts().length; i++) {
            double bh = (double) SIZE * h.counts()[i] / max;
            b.append("<rect x=\"").append(f(PAD + i * w)).append("\" y=\"").append(f(SIZE - bh)).append("\" width=\"")
                    .append(f(Math.max(1, w - 1))).append("\" height=\"").append(f(bh)).append("\" fill=\"#3498db\"><title>")
                    .append(Fmt.count(h.counts()[i])).append(" samples</title></rect>");
        }
        b.append("<line x1=\"").append(PAD + SIZE / 2).append("\" y1=\"0\" x2=\"").append(PAD + SIZE / 2).append("\" y2=\"").append(SIZE)
                .append("\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>");
        frame(b, Fmt.num(h.lo()), Fmt.num(h.hi()), "residual", "samples (max " + Fmt.count(max) + ")");
        close(b, h.outside() > 0 ? Fmt.count(h.outside()) + " samples in the tails beyond the range" : "dashed: zero error");
    }

    private static void confusion(StringBuilder b, Confusion c) {
        int n = c.classes().length;
        long max = 1;
        for (long[] row : c.counts()) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        double cell = (double) SIZE / n;
        open(b, "confusion", "confusion matrix");
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                long v = c.counts()[t][p];
                double shade = v == 0 ? 0 : 0.15 + 0.85 * Math.log1p(v) / Math.log1p(max);
                double x = PAD + p * cell;
                double y = t * cell;
                b.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(cell))
                        .append("\" height=\"").append(f(cell)).append("\" fill=\"").append(t == p ? green(shade) : red(shade))
                        .append("\" stroke=\"#fff\"><title>true ").append(Fmt.num(c.classes()[t])).append(", predicted ")
                        .append(Fmt.num(c.classes()[p])).append(": ").append(Fmt.count(v)).append("</title></rect>");
                if (n <= 12) {
                    b.append("<text x=\"").append(f(x + cell / 2)).append("\" y=\"").append(f(y + cell / 2 + 4))
                            .append("\" text-anchor=\"middle\" fill=\"").append(shade > 0.6 ? "#fff" : "#222").append("\">")
                            .append(Fmt.count(v)).append("</text>");
                }
            }
            b.append("<text x=\"").append(PAD - 4).append("\" y=\"").append(f(t * cell + cell / 2 + 4)).append("\" text-anchor=\"end\">")
                    .append(Fmt.num(c.classes()[t])).append("</text>");
        }
        frame(b, "", "", "predicted class", "true class");
        close(b, "rows: true class; columns: predicted; diagonal: correct");
    }

    private static void open(StringBuilder b, String id, String title) {
        b.append("<figure id=\"").append(id).append("\"><figcaption>").append(title).append("</figcaption><svg class=\"plot\" viewBox=\"0 0 ")
                .append(SIZE + PAD + 10).append(' ').append(SIZE + 40).append("\" width=\"").append(SIZE + PAD + 10)
                .append("\" role=\"img\" aria-label=\"").append(title).append("\">");
    }

    private static void frame(StringBuilder b, String lo, String hi, String xLabel, String yLabel) {
        b.append("<rect x=\"").append(PAD).append("\" y=\"0\" width=\"").append(SIZE).append("\" height=\"").append(SIZE)
                .append("\" fill=\"none\" stroke=\"#999\"/>")
                .append("<text x=\"").append(PAD).append("\" y=\"").append(SIZE + 14).append("\">").append(lo).append("</text>")
                .append("<text x=\"").append(PAD + SIZE).append("\" y=\"").append(SIZE + 14).append("\" text-anchor=\"end\">").append(hi).append("</text>")
                .append("<text x=\"").append(PAD + SIZE / 2).append("\" y=\"").append(SIZE + 30).append("\" text-anchor=\"middle\">")
                .append(Fmt.esc(xLabel)).append("</text>")
                .append("<text transform=\"translate(12 ").append(SIZE / 2).append(") rotate(-90)\" text-anchor=\"middle\">")
                .append(Fmt.esc(yLabel)).append("</text>");
    }

    private static void close(StringBuilder b, String note) {
        b.append("</svg><p class=\"note\">").append(Fmt.esc(note)).append("</p></figure>");
    }

    private static String blue(double shade) {
        return mix(shade, 33, 102, 172);
    }

    private static String green(double shade) {
        return mix(shade, 39, 174, 96);
    }

    private static String red(double shade) {
        return mix(shade, 192, 57, 43);
    }

    /** From near-white (shade 0) to the colour (shade 1). */
    private static String mix(double shade, int r, int g, int b) {
        double s = Math.max(0, Math.min(1, shade));
        return String.format("#%02x%02x%02x", (int) (245 + (r - 245) * s), (int) (245 + (g - 245) * s), (int) (245 + (b - 245) * s));
    }

    private static String f(double v) {
        return String.valueOf(Math.round(v * 10) / 10.0);
    }
}
