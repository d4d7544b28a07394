package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A worker's execution info, written last as {@code ranks/<rank>.json}. The first ten
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
 * @param job                   namespace/name of the job
 * @param planHash              hash of the plan this result belongs to
 * @param rank                  this worker's rank
 * @param worldSize             number of ranks
 * @param threads               intra-op threads used
 * @param samples               samples of all this rank's partitions, resumed ones included
 * @param computedSamples       samples computed in this run
 * @param downloadSeconds       total S3 download time (mostly hidden behind compute)
 * @param modelLoadSeconds      model download and load time
 * @param endToEndSeconds       worker wall time from start to its last write
 * @param cpuSeconds            process CPU time (user + system), for cost
 * @param peakRssMb             peak resident set size
 * @param startedMs             worker start, epoch ms
 * @param finishedMs            worker end, epoch ms
 * @param partitions            per-partition timings, in processing order
 */
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
        @JsonProperty("partitions") List<PartitionResult> partitions) {

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

    /** The CAI field names, in CAI's order; {@code combined_data.json} users rely on them. */
    public static final List<String> CAI_FIELDS = List.of(
            "total_cpu_time (seconds)", "total_cpu_memory (MB)", "execution_time (seconds/batch)",
            "num_batches", "batch_size", "device", "throughput_bps", "sample_persec", "cpu_info", "ram_info (GB)");
}
