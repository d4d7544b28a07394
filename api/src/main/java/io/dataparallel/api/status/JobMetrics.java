package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.Quality;
import io.dataparallel.api.result.RunRecord;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.result.WorkerTiming;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * {@code status.metrics}: the job's {@link Summary} figures under the resource's camelCase
 * names (summary.json keeps snake_case, CAI's convention). Absent figures are not yet known. They
 * describe the whole job, every run whose predictions it counts; {@code thisRun} is the latest run's part.
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
 * @param cost                    what the job's runs used and, where the node pool has prices, what they cost
 * @param resumedSamples          of {@code samples}, those done by earlier runs (or earlier attempts)
 * @param runs                    the runs whose work or cost the figures count, this one included where it computed or
 *                                billed anything
 * @param thisRun                 what this run computed and cost
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record JobMetrics(Long samples, Double samplesPerSecond, Double computeSamplesPerSecond, Double throughputBps,
                         Double meanSecondsPerBatch, Double seconds, Double downloadSeconds, Double modelLoadSeconds,
                         Double cpuSeconds, Double gpuSeconds, Worker slowestWorker, Worker fastestWorker,
                         QualityMetrics quality, CostMetrics cost, Long resumedSamples, Integer runs, RunMetrics thisRun)
        implements JobMetricsBuilder.With {

    /** No figure known yet; the {@code with…} methods set them, so a new figure touches only this file and its users. */
    public static final JobMetrics NONE = JobMetricsBuilder.builder().build();

    /** While workers run only these are known (from their progress files); the rest come with the summary. */
    public static JobMetrics running(long samples, double samplesPerSecond) {
        return NONE.withSamples(samples).withSamplesPerSecond(rounded(samplesPerSecond));
    }

    /** One worker's headline figures. */
    public record Worker(int rank, double seconds, double samplesPerSecond) {
        static Worker of(WorkerTiming t) {
            return t == null ? null : new Worker(t.rank(), round(t.seconds()), round(t.samplesPerSecond()));
        }
    }

    /**
     * {@link RunRecord} under camelCase names: one run's part of the job.
     *
     * @param computedSamples    samples this run computed
     * @param partitionsComputed partitions this run computed
     * @param seconds            its workers' wall time
     * @param cost               what it used and, where the node pool has prices, what it cost
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunMetrics(long computedSamples, int partitionsComputed, double seconds, CostMetrics cost) {
        static RunMetrics of(RunRecord r) {
            return r == null ? null : new RunMetrics(r.computedSamples(), r.partitionsComputed(), round(r.seconds()), CostMetrics.of(r.cost()));
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

    /**
     * {@link Cost} under camelCase names, rounded: seconds to the millisecond, money to 6 decimals.
     *
     * @param billed     total billed cost in the node pool's currency; absent when its prices are unknown
     * @param podSeconds wall seconds of the pods in {@code pods} (the workers' alone until the operator adds the others)
     * @param cpuSeconds process CPU time the workers actually used
     * @param gpuSeconds wall seconds the workers held a GPU
     * @param pods       the billed cost by role (worker, summarizer, profiling)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CostMetrics(Double billed, Double podSeconds, Double cpuSeconds, Double gpuSeconds, List<PodCostMetrics> pods) {
        static CostMetrics of(Cost c) {
            return c == null ? null : new CostMetrics(money(c.billed()), rounded(c.podSeconds()), rounded(c.cpuSeconds()),
                    rounded(c.gpuSeconds()), c.pods() == null ? null : c.pods().stream().map(PodCostMetrics::of).toList());
        }
    }

    /** {@link Cost.PodCost} under camelCase names. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PodCostMetrics(String role, int pods, double seconds, double cpus, double memoryGib, double gpus, Double billed) {
        static PodCostMetrics of(Cost.PodCost p) {
            return new PodCostMetrics(p.role(), p.pods(), round(p.seconds()), p.cpus(), p.memoryGib(), p.gpus(), money(p.billed()));
        }
    }

    private static Double money(Double v) {
        return v != null && Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : null;
    }

    public static JobMetrics of(Summary s) {
        return new JobMetrics(s.samples(), rounded(s.samplesPerSecond()), rounded(s.computeSamplesPerSecond()),
                Double.isFinite(s.throughputBps()) ? (double) Math.round(s.throughputBps()) : null,
                finite(s.meanSecondsPerBatch()), rounded(s.seconds()), rounded(s.downloadSeconds()),
                rounded(s.modelLoadSeconds()), rounded(s.cpuSeconds()), rounded(s.gpuSeconds()), Worker.of(s.slowestWorker()),
                Worker.of(s.fastestWorker()), QualityMetrics.of(s.quality()), CostMetrics.of(s.cost()), s.resumedSamples(),
                s.earlierRuns().size() + (s.thisRun() != null && s.thisRun().didAnything() ? 1 : 0), RunMetrics.of(s.thisRun()));
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
