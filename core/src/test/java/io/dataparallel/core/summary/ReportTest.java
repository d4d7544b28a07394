package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.report.QualityCharts;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path tmp;

    @Test
    void aPartialRunSaysSoAndShowsEveryPart() {
        String html;
        try (S3Fixture s3 = new S3Fixture(tmp)) {
            html = ReportFixture.report(s3);
        }
        // the verdict the CLI and operator give: one worker failed, within spec.maxFailedWorkers (1)
        assertTrue(html.contains("class=\"banner partial\"><strong>Partly succeeded</strong>"), html);
        assertTrue(html.contains("workers failed, within spec.maxFailedWorkers (1)"), html);
        assertTrue(html.contains("waited, from the job&#39;s start") || html.contains("waited, from the job's start"), html);
        for (String id : List.of("timeline", "throughput", "quality", "density", "residuals", "partitions", "summary")) {
            assertTrue(html.contains("id=\"" + id + "\""), "section " + id);
        }
        assertFalse(html.contains("id=\"confusion\""), "regression has no confusion matrix");
        for (String kind : List.of("startup", "model", "download", "decode", "compute", "upload", "resumed")) {
            assertTrue(html.contains("<rect class=\"" + kind + "\""), "timeline shows " + kind);
        }
        assertTrue(html.contains("failed, no timings: part-10.npz: cannot be read as .npz"), "the failed rank's row says why");
        assertTrue(html.contains("<td>failed: part-10.npz: cannot be read as .npz (truncated zip)</td>"), "failed partition row");
        assertTrue(html.contains("<td>done earlier (skipped)</td>"), "resumed partition row");
        assertFalse(html.contains("NaN") || html.contains("Infinity"), "numbers for people");
        assertFalse(html.contains("<script") || html.contains("http:") || html.contains("https:") || html.contains("url("),
                "self-contained: no script, no network");
    }

    @Test
    void classificationGetsAConfusionMatrixOfItsClasses() {
        QualityCharts charts = QualityChartData.of(List.of(ReportTestData.classification(new double[] {0, 1, 2, 2}, new double[] {0, 2, 2, 1})));
        assertNull(charts.density());
        assertNull(charts.residuals());
        assertEquals(3, charts.confusion().classes().length);
        assertEquals(1, charts.confusion().counts()[1][2], "true 1 predicted 2");
        assertEquals(1, charts.confusion().counts()[2][2]);
        assertEquals(0, charts.confusion().counts()[1][1]);
    }

    @Test
    void noChartsWithoutData() {
        QualityCharts charts = QualityChartData.of(List.of(Map.of()));
        assertNull(charts.density());
        assertNull(charts.residuals());
        assertNull(charts.confusion());
    }

    @Test
    void regressionBinsOverTheTruthsRangeAndCountsWhatFallsOutside() {
        double[] r = {0, 0.1, -0.1, 100};
        double[] y = {0, 1, 2, 1};
        QualityCharts.Density d = QualityChartData.density(r, y);
        assertTrue(d.lo() < 0 && d.hi() > 2 && d.hi() < 3, "the truth's range, padded");
        assertEquals(1, d.outside(), "the wild prediction is counted, not plotted");
        long plotted = 0;
        for (long[] row : d.counts()) {
            for (long c : row) {
                plotted += c;
            }
        }
        assertEquals(3, plotted);
        QualityCharts.Histogram h = QualityChartData.histogram(r);
        assertEquals(-h.lo(), h.hi(), 1e-12);
    }
}
