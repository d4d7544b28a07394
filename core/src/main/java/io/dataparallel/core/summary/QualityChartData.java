package io.dataparallel.core.summary;

import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.report.QualityCharts;
import io.dataparallel.core.report.QualityCharts.Confusion;
import io.dataparallel.core.report.QualityCharts.Density;
import io.dataparallel.core.report.QualityCharts.Histogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Bins the per-partition quality data ({@link QualityData}) into the report's charts. */
final class QualityChartData {
    static final int BINS = 40;
    /** More classes than this make a confusion matrix no one can read. */
    static final int MAX_CLASSES = 30;

    private QualityChartData() {
    }

    static QualityCharts of(List<Map<String, NpyArray>> parts) {
        List<double[]> residuals = new ArrayList<>();
        List<double[]> labels = new ArrayList<>();
        List<double[]> classes = new ArrayList<>();
        List<double[]> predicted = new ArrayList<>();
        for (Map<String, NpyArray> part : parts) {
            if (part.containsKey(QualityData.RESIDUAL)) {
                residuals.add(part.get(QualityData.RESIDUAL).toDoubles());
                labels.add(part.get(QualityData.LABEL).toDoubles());
            } else if (part.containsKey(QualityData.PREDICTED)) {
                // quality data written before predicted classes were kept has none: no matrix from it
                predicted.add(part.get(QualityData.PREDICTED).toDoubles());
                classes.add(part.get(QualityData.LABEL).toDoubles());
            }
        }
        double[] r = QualityData.concat(residuals);
        double[] y = QualityData.concat(labels);
        return new QualityCharts(density(r, y), histogram(r), confusion(QualityData.concat(classes), QualityData.concat(predicted)));
    }

    /** Over the range of the true values: a wild prediction is counted as outside, not allowed to squash the plot. */
    static Density density(double[] r, double[] y) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < y.length; i++) {
            if (Double.isFinite(y[i]) && Double.isFinite(r[i])) {
                lo = Math.min(lo, y[i]);
                hi = Math.max(hi, y[i]);
            }
        }
        if (lo > hi) {
            return null;
        }
        double pad = hi > lo ? (hi - lo) * 0.05 : Math.max(1, Math.abs(lo)) * 0.5;
        lo -= pad;
        hi += pad;
        long[][] counts = new long[BINS][BINS];
        long outside = 0;
        for (int i = 0; i < y.length; i++) {
            int t = bin(y[i], lo, hi);
            int p = bin(y[i] + r[i], lo, hi);
            if (t < 0 || p < 0) {
                outside++;
            } else {
                counts[t][p]++;
            }
        }
        return new Density(lo, hi, counts, outside);
    }

    /**
     * Symmetric around zero, 1.5 times as wide as the 95th percentile of |residual|: the core of
     * the distribution fills the plot, and the far tails (catastrophic outliers) are counted.
     */
    static Histogram histogram(double[] r) {
        double[] finite = Arrays.stream(r).filter(Double::isFinite).map(Math::abs).sorted().toArray();
        if (finite.length == 0) {
            return null;
        }
        double half = 1.5 * finite[(int) Math.min(finite.length - 1, Math.ceil(finite.length * 0.95) - 1)];
        if (half == 0) {
            half = finite[finite.length - 1] > 0 ? finite[finite.length - 1] : 1;
        }
        long[] counts = new long[BINS];
        long outside = 0;
        for (double v : r) {
            int b = bin(v, -half, half);
            if (b < 0) {
                outside++;
            } else {
                counts[b]++;
            }
        }
        return new Histogram(-half, half, counts, outside);
    }

    static Confusion confusion(double[] labels, double[] predicted) {
        TreeMap<Double, Integer> index = new TreeMap<>();
        for (double[] values : List.of(labels, predicted)) {
            for (double v : values) {
                index.putIfAbsent(v, 0);
            }
        }
        if (index.isEmpty() || index.size() > MAX_CLASSES) {
            return null;
        }
        double[] classes = new double[index.size()];
        int k = 0;
        for (Map.Entry<Double, Integer> e : index.entrySet()) {
            classes[k] = e.getKey();
            e.setValue(k++);
        }
        long[][] counts = new long[classes.length][classes.length];
        for (int i = 0; i < labels.length; i++) {
            counts[index.get(labels[i])][index.get(predicted[i])]++;
        }
        return new Confusion(classes, counts);
    }

    /** The bin of {@code v} in [lo, hi] (hi itself in the last bin), or -1 outside or not finite. */
    private static int bin(double v, double lo, double hi) {
        if (!Double.isFinite(v) || v < lo || v > hi) {
            return -1;
        }
        return Math.min(BINS - 1, (int) ((v - lo) / (hi - lo) * BINS));
    }
}
