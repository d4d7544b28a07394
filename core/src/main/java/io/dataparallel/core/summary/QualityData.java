package io.dataparallel.core.summary;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.result.Quality;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.NpyArray;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Per-sample quality data of one partition, computed by the worker while the partition is
 * in memory and stored as {@code quality/<partition>} so the summarizer can compute exact
 * job-wide figures (a median is not a sum of medians) without reading the inputs again.
 * Classification stores {@code correct} (uint8) and, for the report's confusion matrix,
 * {@code predicted} and {@code label} classes (float64); regression stores {@code residual}
 * and {@code label} (float64).
 */
public final class QualityData {
    static final String CORRECT = "correct";
    static final String RESIDUAL = "residual";
    static final String LABEL = "label";
    static final String PREDICTED = "predicted";

    private QualityData() {
    }

    /**
     * Compares {@code prediction} (the first model output) with {@code labels}.
     * Integer labels mean classification, float labels regression.
     */
    public static List<NpyArray> compute(NpyArray labels, NpyArray prediction) {
        long n = labels.rows();
        if (labels.shape().length > 2 || (labels.shape().length == 2 && labels.shape()[1] != 1)) {
            throw new BadInputException("spec.data.labels", "array '" + labels.name() + "' has shape " + labels.shapeText()
                    + ": labels must hold one value per sample, shape (N,) or (N, 1)");
        }
        if (prediction.rows() != n) {
            throw new BadInputException("spec.data.labels", "array '" + labels.name() + "' has " + n + " rows but output '"
                    + prediction.name() + "' has " + prediction.rows() + ": labels must have one row per sample");
        }
        double[] y = labels.toDoubles();
        double[] p = prediction.toDoubles();
        if (labels.dtype().isIntegral()) {
            long width = n == 0 ? 1 : prediction.elementCount() / n;
            byte[] correct = new byte[(int) n];
            double[] predicted = new double[(int) n];
            for (int i = 0; i < n; i++) {
                predicted[i] = width == 1 ? Math.rint(p[i]) : argmax(p, (int) (i * width), (int) width);
                correct[i] = (byte) (predicted[i] == y[i] ? 1 : 0);
            }
            return List.of(new NpyArray(CORRECT, DType.UINT8, new long[] {n}, ByteBuffer.wrap(correct)),
                    NpyArray.ofDoubles(PREDICTED, new long[] {n}, predicted), NpyArray.ofDoubles(LABEL, new long[] {n}, y));
        }
        if (prediction.elementCount() != n) {
            throw new BadInputException("spec.data.labels", "array '" + labels.name() + "' holds floats (regression) but output '"
                    + prediction.name() + "' has shape " + prediction.shapeText()
                    + ": regression compares one predicted value per sample; use integer labels for classification");
        }
        double[] residual = new double[(int) n];
        for (int i = 0; i < n; i++) {
            residual[i] = p[i] - y[i];
        }
        return List.of(NpyArray.ofDoubles(RESIDUAL, new long[] {n}, residual), NpyArray.ofDoubles(LABEL, new long[] {n}, y));
    }

    private static int argmax(double[] values, int from, int width) {
        int best = 0;
        for (int k = 1; k < width; k++) {
            // NaN never wins, so a NaN logit cannot make a sample correct
            if (values[from + k] > values[from + best]) {
                best = k;
            }
        }
        return best;
    }

    /** Job-wide quality over every partition's quality data; null when there is none. */
    public static Quality aggregate(List<Map<String, NpyArray>> parts) {
        long correct = 0;
        long classified = 0;
        List<double[]> residuals = new ArrayList<>();
        List<double[]> labels = new ArrayList<>();
        for (Map<String, NpyArray> part : parts) {
            if (part.containsKey(CORRECT)) {
                for (double c : part.get(CORRECT).toDoubles()) {
                    correct += (long) c;
                    classified++;
                }
            } else if (part.containsKey(RESIDUAL)) {
                residuals.add(part.get(RESIDUAL).toDoubles());
                labels.add(part.get(LABEL).toDoubles());
            }
        }
        if (classified > 0) {
            return new Quality(Quality.CLASSIFICATION, classified, (double) correct / classified, null, null, null, null, null, null);
        }
        double[] r = concat(residuals);
        double[] y = concat(labels);
        if (r.length == 0) {
            return null;
        }
        return regression(r, y);
    }

    /**
     * Regression figures over the samples whose residual and label are finite; the others are
     * counted, not averaged in: one NaN prediction would otherwise make every figure NaN, which
     * JSON cannot carry and the API server refuses in status.
     */
    static Quality regression(double[] r, double[] y) {
        int total = r.length;
        int n = 0;
        double[] fr = new double[total];
        double[] fy = new double[total];
        for (int i = 0; i < total; i++) {
            if (Double.isFinite(r[i]) && Double.isFinite(y[i])) {
                fr[n] = r[i];
                fy[n] = y[i];
                n++;
            }
        }
        long nonFinite = total - n;
        if (n == 0) {
            return new Quality(Quality.REGRESSION, total, null, null, null, null, null, null, nonFinite);
        }
        double abs = 0;
        double sq = 0;
        double dSum = 0;
        long outliers = 0;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            abs += Math.abs(fr[i]);
            sq += fr[i] * fr[i];
            d[i] = fr[i] / (1 + Math.abs(fy[i]));
            dSum += d[i];
            if (Math.abs(d[i]) > Quality.OUTLIER_THRESHOLD) {
                outliers++;
            }
        }
        double median = median(d.clone());
        double[] dev = new double[n];
        for (int i = 0; i < n; i++) {
            dev[i] = Math.abs(d[i] - median);
        }
        double nmad = 1.4826 * median(dev);
        return new Quality(Quality.REGRESSION, total, null, finite(abs / n), finite(Math.sqrt(sq / n)), finite(dSum / n),
                finite(nmad), (double) outliers / n, nonFinite);
    }

    /** Sums of finite values can still overflow to infinity: such a figure is unknown, not infinite. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Median; NaN residuals (NaN inputs flow through) sort last, as numpy's sort puts them. */
    static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    static double[] concat(List<double[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        double[] out = new double[n];
        int at = 0;
        for (double[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}
