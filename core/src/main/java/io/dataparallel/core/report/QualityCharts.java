package io.dataparallel.core.report;

/**
 * What the report plots about prediction quality, binned by the summarizer from the per-sample
 * quality data so the page stays small however many samples the job had. Each part is null
 * when the job has nothing to show for it: the report then leaves that chart out.
 *
 * @param density   regression: predicted against true value
 * @param residuals regression: predicted minus true value
 * @param confusion classification: true class against predicted class
 */
public record QualityCharts(Density density, Histogram residuals, Confusion confusion) {

    public static final QualityCharts NONE = new QualityCharts(null, null, null);

    /**
     * Counts on a square grid over [{@code lo}, {@code hi}] on both axes.
     *
     * @param counts  counts[trueBin][predictedBin]
     * @param outside samples whose prediction or true value falls outside the grid
     */
    public record Density(double lo, double hi, long[][] counts, long outside) {
    }

    /**
     * Counts in equal bins over [{@code lo}, {@code hi}].
     *
     * @param outside samples beyond the range (the far tails), counted, not drawn
     */
    public record Histogram(double lo, double hi, long[] counts, long outside) {
    }

    /**
     * @param classes the class values, in order
     * @param counts  counts[trueIndex][predictedIndex]
     */
    public record Confusion(double[] classes, long[][] counts) {
    }
}
