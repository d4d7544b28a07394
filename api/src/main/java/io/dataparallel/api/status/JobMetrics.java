package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
 * Each component's {@link JsonPropertyDescription} is the CRD's description of it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record JobMetrics(
        @JsonPropertyDescription("Samples with a prediction (resumed partitions included).")
        Long samples,
        @JsonPropertyDescription("Samples/s end to end: samples computed by the job's runs / their seconds (from the"
                + " workers' progress while they run).")
        Double samplesPerSecond,
        @JsonPropertyDescription("Samples/s computing only: samples computed / seconds in which any worker was computing"
                + " (download and model load left out).")
        Double computeSamplesPerSecond,
        @JsonPropertyDescription("CAI's throughput_bps for the job, bits/s: the sum of the workers' input bits / compute"
                + " seconds within a run; over several runs, their input bits over their bits-weighted time.")
        Double throughputBps,
        @JsonPropertyDescription("Mean forward time per batch over all workers, seconds.")
        Double meanSecondsPerBatch,
        @JsonPropertyDescription("The workers' wall time, seconds: each run's first worker's start to its last worker's"
                + " end, summed over the job's runs.")
        Double seconds,
        @JsonPropertyDescription("S3 download seconds, summed over the workers.")
        Double downloadSeconds,
        @JsonPropertyDescription("Model load seconds, mean per worker.")
        Double modelLoadSeconds,
        @JsonPropertyDescription("Process CPU time of every worker, CPU-seconds: the cost on CPU (as cost.cpuSeconds).")
        Double cpuSeconds,
        @JsonPropertyDescription("Wall seconds the workers held a GPU, GPU-seconds: the cost on GPU (as cost.gpuSeconds);"
                + " 0 on CPU.")
        Double gpuSeconds,
        @JsonPropertyDescription("The worker with the longest end-to-end time.")
        Worker slowestWorker,
        @JsonPropertyDescription("The worker with the shortest end-to-end time.")
        Worker fastestWorker,
        @JsonPropertyDescription("Prediction quality against spec.data.labels over every labelled sample; only when"
                + " spec.data.labels is set.")
        QualityMetrics quality,
        @JsonPropertyDescription("What the job's runs used and, where the node pool has prices, what they cost (worker,"
                + " summarizer and profiling pods), all runs together; thisRun.cost is the latest run's alone.")
        CostMetrics cost,
        @JsonPropertyDescription("Of samples, those done by earlier runs (or earlier attempts of a worker) and skipped.")
        Long resumedSamples,
        @JsonPropertyDescription("How many runs' work or cost the figures count, the latest included where it computed or"
                + " billed anything.")
        Integer runs,
        @JsonPropertyDescription("What the latest run computed and cost.")
        RunMetrics thisRun)
        implements JobMetricsBuilder.With {

    /** No figure known yet; the {@code with…} methods set them, so a new figure touches only this file and its users. */
    public static final JobMetrics NONE = JobMetricsBuilder.builder().build();

    /** While workers run only these are known (from their progress files); the rest come with the summary. */
    public static JobMetrics running(long samples, double samplesPerSecond) {
        return NONE.withSamples(samples).withSamplesPerSecond(rounded(samplesPerSecond));
    }

    /** One worker's headline figures. */
    public record Worker(
            @JsonPropertyDescription("The worker's rank, 0..workers-1 (its completion index).")
            int rank,
            @JsonPropertyDescription("Its end-to-end seconds.")
            double seconds,
            @JsonPropertyDescription("Its compute-only samples/s.")
            double samplesPerSecond) {
        static Worker of(WorkerTiming t) {
            return t == null ? null : new Worker(t.rank(), round(t.seconds()), round(t.samplesPerSecond()));
        }
    }

    /** {@link RunRecord} under camelCase names: one run's part of the job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunMetrics(
            @JsonPropertyDescription("Samples this run computed.")
            long computedSamples,
            @JsonPropertyDescription("Partitions this run computed (the others were done earlier).")
            int partitionsComputed,
            @JsonPropertyDescription("Its workers' wall time, seconds: its first worker's start to its last worker's end.")
            double seconds,
            @JsonPropertyDescription("What this run used and, where the node pool has prices, what it cost.")
            CostMetrics cost) {
        static RunMetrics of(RunRecord r) {
            return r == null ? null : new RunMetrics(r.computedSamples(), r.partitionsComputed(), round(r.seconds()), CostMetrics.of(r.cost()));
        }
    }

    /** {@link Quality} under camelCase names. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QualityMetrics(
            @JsonPropertyDescription("classification (integer labels) or regression (float labels).")
            String task,
            @JsonPropertyDescription("Labelled samples compared.")
            long samples,
            @JsonPropertyDescription("Classification: the fraction, 0..1, of samples whose argmax of the first output's last"
                    + " dimension equals the label.")
            Double accuracy,
            @JsonPropertyDescription("Regression: mean absolute error, mean |r| with r = prediction - label, in the label's"
                    + " units.")
            Double mae,
            @JsonPropertyDescription("Regression: root mean squared error, sqrt(mean r^2), in the label's units.")
            Double rmse,
            @JsonPropertyDescription("Regression: mean d, with d = r / (1 + |label|) (the photometric-redshift convention).")
            Double bias,
            @JsonPropertyDescription("Regression: normalised median absolute deviation, 1.4826 * median(|d - median(d)|).")
            Double nmad,
            @JsonPropertyDescription("Regression: the fraction, 0..1, of samples with |d| > 0.15.")
            Double outlierFraction,
            @JsonPropertyDescription("Regression: labelled samples left out of the figures because the prediction or the"
                    + " label is NaN or infinite; absent when none.")
            Long nonFinite) {
        static QualityMetrics of(Quality q) {
            return q == null ? null : new QualityMetrics(q.task(), q.samples(), finite(q.accuracy()), finite(q.mae()),
                    finite(q.rmse()), finite(q.bias()), finite(q.nmad()), finite(q.outlierFraction()),
                    q.nonFinite() == null || q.nonFinite() == 0 ? null : q.nonFinite());
        }
    }

    /** {@link Cost} under camelCase names, rounded: seconds to the millisecond, money to 6 decimals. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CostMetrics(
            @JsonPropertyDescription("Total billed cost in the node pool's currency: requested resources x pod wall time x"
                    + " price, summed over the worker, summarizer and profiling pods; absent when the pool has no prices.")
            Double billed,
            @JsonPropertyDescription("Wall seconds of the pods in pods, summed (the workers' alone until the operator adds"
                    + " the others).")
            Double podSeconds,
            @JsonPropertyDescription("CPU-seconds the workers actually used (process CPU time).")
            Double cpuSeconds,
            @JsonPropertyDescription("GPU-seconds: wall seconds the workers held a GPU; 0 on CPU.")
            Double gpuSeconds,
            @JsonPropertyDescription("The billed cost by pod role: worker, summarizer, profiling.")
            List<PodCostMetrics> pods) {
        static CostMetrics of(Cost c) {
            return c == null ? null : new CostMetrics(money(c.billed()), rounded(c.podSeconds()), rounded(c.cpuSeconds()),
                    rounded(c.gpuSeconds()), c.pods() == null ? null : c.pods().stream().map(PodCostMetrics::of).toList());
        }
    }

    /** {@link Cost.PodCost} under camelCase names. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PodCostMetrics(
            @JsonPropertyDescription("worker, summarizer or profiling.")
            String role,
            @JsonPropertyDescription("How many pods of this role (ranks for workers).")
            int pods,
            @JsonPropertyDescription("Their wall seconds, summed.")
            double seconds,
            @JsonPropertyDescription("CPUs each pod requested.")
            double cpus,
            @JsonPropertyDescription("GiB of memory each pod requested.")
            double memoryGib,
            @JsonPropertyDescription("GPUs each pod requested.")
            double gpus,
            @JsonPropertyDescription("requests x seconds x the node pool's prices, in its currency; absent without prices.")
            Double billed) {
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
