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
        return new JobMetrics(samples, round(samplesPerSecond), null, null, null, null, null, null, null, null, null, null, null);
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
                                 Double nmad, Double outlierFraction) {
        static QualityMetrics of(Quality q) {
            return q == null ? null : new QualityMetrics(q.task(), q.samples(), q.accuracy(), q.mae(), q.rmse(), q.bias(),
                    q.nmad(), q.outlierFraction());
        }
    }

    public static JobMetrics of(Summary s) {
        return new JobMetrics(s.samples(), round(s.samplesPerSecond()), round(s.computeSamplesPerSecond()),
                (double) Math.round(s.throughputBps()), s.meanSecondsPerBatch(), round(s.seconds()), round(s.downloadSeconds()),
                round(s.modelLoadSeconds()), round(s.cpuSeconds()), round(s.gpuSeconds()), Worker.of(s.slowestWorker()),
                Worker.of(s.fastestWorker()), QualityMetrics.of(s.quality()));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
