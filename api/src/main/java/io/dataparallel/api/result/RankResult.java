package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * A worker's execution info, written last as {@code ranks/<rank>.json}. The first nineteen
 * fields keep CAI's names and meanings verbatim so that CAI analysis scripts still run:
 * its "total_cpu_time" is the compute-only time of the inference loop (download and
 * model load excluded), and throughput is input bits over that time. Our fields follow.
 *
 * @param computeSeconds        CAI {@code total_cpu_time (seconds)}: time in inference, this run
 * @param memoryMb              CAI {@code total_cpu_memory (MB)}: peak resident memory of the worker
 * @param secondsPerBatch       CAI {@code execution_time (seconds/batch)}
 * @param numBatches            CAI {@code num_batches}
 * @param batchSize             CAI {@code batch_size}
 * @param device                CAI {@code device}: cpu, or cuda:N
 * @param throughputBps         CAI {@code throughput_bps}: computed input bits / computeSeconds
 * @param samplesPerSecond      CAI {@code sample_persec}: computed samples / computeSeconds
 * @param cpuInfo               CAI {@code cpu_info}: processor model
 * @param ramGb                 CAI {@code ram_info (GB)}: memory available to the worker
 * @param dataPath              CAI {@code data_path}: where the input is, {@code spec.data.uri} (the rank's
 *                              partitions are listed in {@code partitions})
 * @param resultPath            CAI {@code result_path}: where the results go, {@code spec.output.uri}
 * @param s3NumRequests         CAI {@code s3_num_requests}: store requests made for this rank's partitions
 *                              (provenance HEAD, partition GET, quality and prediction PUTs)
 * @param s3TotalTime           CAI {@code s3_total_time}: seconds in those requests, summed
 * @param s3AvgTime             CAI {@code s3_avg_time}: seconds per request
 * @param s3MinTime             CAI {@code s3_min_time}: the shortest request, seconds
 * @param s3MaxTime             CAI {@code s3_max_time}: the longest request, seconds
 * @param s3FirstRequestTime    CAI {@code s3_first_request_time}: the first request's start, epoch seconds
 * @param s3LastResponseTime    CAI {@code s3_last_response_time}: the last response's end, epoch seconds
 * @param job                   namespace/name of the job
 * @param planHash              hash of the plan this result belongs to
 * @param rank                  this worker's rank
 * @param worldSize             number of ranks
 * @param threads               intra-op threads used
 * @param samples               samples of all this rank's partitions, resumed ones included
 * @param computedSamples       samples computed in this run
 * @param downloadSeconds       total S3 download time (mostly hidden behind compute)
 * @param modelLoadSeconds      model download and load time (a local slot's later ranks: only the check that the
 *                              model it keeps loaded is still the planned one)
 * @param endToEndSeconds       worker wall time from start to its last write
 * @param cpuSeconds            process CPU time (user + system) since {@code startedMs}, for cost
 * @param peakRssMb             peak resident set size
 * @param startedMs             worker start, epoch ms: its process's start (start-up included) for the first rank a
 *                              process runs, the moment it took the rank for a local slot's later ones
 * @param finishedMs            worker end, epoch ms
 * @param partitions            per-partition timings, in processing order
 * @param failedPartitions      partitions this rank could not compute for their own input, with why; the rank
 *                              went on with its others, then exited {@code BAD_INPUT}
 * @param tuning                the batch size and replicas it computed with, and the trials that chose them;
 *                              absent in results written before it was recorded
 */
@RecordBuilder
public record RankResult(
        @JsonProperty("total_cpu_time (seconds)") double computeSeconds,
        @JsonProperty("total_cpu_memory (MB)") double memoryMb,
        @JsonProperty("execution_time (seconds/batch)") double secondsPerBatch,
        @JsonProperty("num_batches") long numBatches,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("device") String device,
        @JsonProperty("throughput_bps") double throughputBps,
        @JsonProperty("sample_persec") double samplesPerSecond,
        @JsonProperty("cpu_info") String cpuInfo,
        @JsonProperty("ram_info (GB)") double ramGb,
        @JsonProperty("data_path") String dataPath,
        @JsonProperty("result_path") String resultPath,
        @JsonProperty("s3_num_requests") long s3NumRequests,
        @JsonProperty("s3_total_time") double s3TotalTime,
        @JsonProperty("s3_avg_time") double s3AvgTime,
        @JsonProperty("s3_min_time") double s3MinTime,
        @JsonProperty("s3_max_time") double s3MaxTime,
        @JsonProperty("s3_first_request_time") double s3FirstRequestTime,
        @JsonProperty("s3_last_response_time") double s3LastResponseTime,
        @JsonProperty("job") String job,
        @JsonProperty("plan_hash") String planHash,
        @JsonProperty("rank") int rank,
        @JsonProperty("world_size") int worldSize,
        @JsonProperty("threads") int threads,
        @JsonProperty("samples") long samples,
        @JsonProperty("computed_samples") long computedSamples,
        @JsonProperty("download_seconds") double downloadSeconds,
        @JsonProperty("model_load_seconds") double modelLoadSeconds,
        @JsonProperty("end_to_end_seconds") double endToEndSeconds,
        @JsonProperty("cpu_seconds") double cpuSeconds,
        @JsonProperty("peak_rss_mb") double peakRssMb,
        @JsonProperty("started_ms") long startedMs,
        @JsonProperty("finished_ms") long finishedMs,
        @JsonProperty("partitions") List<PartitionResult> partitions,
        @JsonProperty("failed_partitions") List<FailedPartition> failedPartitions,
        @JsonProperty("tuning") @JsonInclude(JsonInclude.Include.NON_NULL) Tuning tuning) implements RankResultBuilder.With {

    public RankResult {
        failedPartitions = failedPartitions == null ? List.of() : List.copyOf(failedPartitions); // absent in older results
    }

    /** A result with no tuning recorded (results of older workers, tests that do not look at it). */
    public RankResult(double computeSeconds, double memoryMb, double secondsPerBatch, long numBatches, int batchSize,
                      String device, double throughputBps, double samplesPerSecond, String cpuInfo, double ramGb,
                      String dataPath, String resultPath, long s3NumRequests, double s3TotalTime, double s3AvgTime,
                      double s3MinTime, double s3MaxTime, double s3FirstRequestTime, double s3LastResponseTime, String job,
                      String planHash, int rank, int worldSize, int threads, long samples, long computedSamples,
                      double downloadSeconds, double modelLoadSeconds, double endToEndSeconds, double cpuSeconds,
                      double peakRssMb, long startedMs, long finishedMs, List<PartitionResult> partitions,
                      List<FailedPartition> failedPartitions) {
        this(computeSeconds, memoryMb, secondsPerBatch, numBatches, batchSize, device, throughputBps, samplesPerSecond,
                cpuInfo, ramGb, dataPath, resultPath, s3NumRequests, s3TotalTime, s3AvgTime, s3MinTime, s3MaxTime,
                s3FirstRequestTime, s3LastResponseTime, job, planHash, rank, worldSize, threads, samples, computedSamples,
                downloadSeconds, modelLoadSeconds, endToEndSeconds, cpuSeconds, peakRssMb, startedMs, finishedMs, partitions,
                failedPartitions, null);
    }

    /** This result with {@code value} as its tuning. */

    /** Worker start, as ISO-8601 text beside the epoch milliseconds. */
    @JsonProperty(value = "started_at", access = JsonProperty.Access.READ_ONLY)
    public String startedAt() {
        return IsoTime.of(startedMs);
    }

    /** Worker end, as ISO-8601 text beside the epoch milliseconds. */
    @JsonProperty(value = "finished_at", access = JsonProperty.Access.READ_ONLY)
    public String finishedAt() {
        return IsoTime.of(finishedMs);
    }

    /** The CAI field names, in CAI's order; {@code combined_data.json} users and CAI's {@code stats.py} rely on them. */
    public static final List<String> CAI_FIELDS = List.of(
            "total_cpu_time (seconds)", "total_cpu_memory (MB)", "execution_time (seconds/batch)",
            "num_batches", "batch_size", "device", "throughput_bps", "sample_persec", "cpu_info", "ram_info (GB)",
            "data_path", "result_path", "s3_num_requests", "s3_total_time", "s3_avg_time", "s3_min_time", "s3_max_time",
            "s3_first_request_time", "s3_last_response_time");
}
