package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dataparallel.api.result.Quality;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.result.WorkerTiming;

/**
 * {@code status.metrics}: the job's {@link Summary} figures under the resource's camelCase
 * names (summary.json keeps snake_case, CAI's convention). Absent figures are not yet known.
 *
 * @param samples                 samples with a prediction
 * @param samplesPerSecond        end to end
 * @param computeSamplesPerSecond compute only, all workers together
 * @param throughputBps           CAI's throughput_bps, all workers together
 * @param meanSecondsPerBatch     mean forward time per batch
 * @param seconds                 wall time of the workers
 * @param downloadSeconds         S3 download seconds, all workers
 * @param modelLoadSeconds        model load seconds, mean per worker
 * @param cpuSeconds              cost on CPU
 * @param gpuSeconds              cost on GPU
 * @param slowestWorker           the longest-running worker
 * @param fastestWorker           the shortest-running worker
 * @param quality                 when labels are set
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobMetrics(Long samples, Double samplesPerSecond, Double computeSamplesPerSecond, Double throughputBps,
                         Double meanSecondsPerBatch, Double seconds, Double downloadSeconds, Double modelLoadSeconds,
                         Double cpuSeconds, Double gpuSeconds, Worker slowestWorker, Worker fastestWorker,
                         QualityMetrics quality) {

    /** While workers run only these are known (from their progress files); the rest come with the summary. */
    public static JobMetrics running(long samples, double samplesPerSecond) {
        return new JobMetrics(samples, rounded(samplesPerSecond), null, null, null, null, null, null, null, null, null, null, null);
    }

    /** One worker's headline figures. */
    public record Worker(int rank, double seconds, double samplesPerSecond) {
        static Worker of(WorkerTiming t) {
            return t == null ? null : new Worker(t.rank(), round(t.seconds()), round(t.samplesPerSecond()));
        }
    }

    /** {@link Quality} under camelCase names. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QualityMetrics(String task, long samples, Double accuracy, Double mae, Double rmse, Double bias,
                                 Double nmad, Double outlierFraction, Long nonFinite) {
        static QualityMetrics of(Quality q) {
            return q == null ? null : new QualityMetrics(q.task(), q.samples(), finite(q.accuracy()), finite(q.mae()),
                    finite(q.rmse()), finite(q.bias()), finite(q.nmad()), finite(q.outlierFraction()),
                    q.nonFinite() == null || q.nonFinite() == 0 ? null : q.nonFinite());
        }
    }

    public static JobMetrics of(Summary s) {
        return new JobMetrics(s.samples(), rounded(s.samplesPerSecond()), rounded(s.computeSamplesPerSecond()),
                Double.isFinite(s.throughputBps()) ? (double) Math.round(s.throughputBps()) : null,
                finite(s.meanSecondsPerBatch()), rounded(s.seconds()), rounded(s.downloadSeconds()),
                rounded(s.modelLoadSeconds()), rounded(s.cpuSeconds()), rounded(s.gpuSeconds()), Worker.of(s.slowestWorker()),
                Worker.of(s.fastestWorker()), QualityMetrics.of(s.quality()));
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0;
    }

    /**
     * The API server refuses NaN and infinity in a {@code type: number} field (Fabric8 writes them
     * as strings), and the status write would fail: a figure that is not finite is unknown (null).
     */
    private static Double rounded(double v) {
        return Double.isFinite(v) ? round(v) : null;
    }

    private static Double finite(Double v) {
        return v != null && Double.isFinite(v) ? v : null;
    }
}
