package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.Optional;

/**
 * What an InferenceJob asks for: run {@link ModelSpec a model} over {@link DataSpec the
 * partitions} with {@code workers} data-parallel workers, writing to {@link OutputSpec}. Each
 * component's {@link JsonPropertyDescription} is its documentation: the CRD's description, what
 * {@code kubectl explain inferencejob.spec} prints.
 *
 * <p>Copies are made with the generated {@code with…} methods and {@code with()…build()} ({@code @RecordBuilder}),
 * so a new field touches its declaration, its validation and the code that reads it, never the copies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record InferenceJobSpec(
        @JsonPropertyDescription("The model: a TorchScript or ONNX file, the partition arrays it takes and the"
                + " names of its outputs.")
        @Required ModelSpec model,
        @JsonPropertyDescription("The input: the partitions under an S3 prefix.")
        @Required DataSpec data,
        @JsonPropertyDescription("Where the job writes its predictions, progress, rank results and summary.")
        @Required OutputSpec output,
        @JsonPropertyDescription("Samples per forward call, 1..1048576; the last batch of a partition may be short."
                + " Default: chosen by measurement (each worker times 16, 32, ... 1024 on the first rows of its first"
                + " partition and takes the fastest), or by sizing with spec.deadline or spec.budget.")
        @Min(1) @Max(1 << 20) Integer batchSize,
        @JsonPropertyDescription("WORLD_SIZE: how many data-parallel workers, 1..10000; more than the partitions runs one"
                + " worker per partition. Default: one per partition, up to the operator's maxWorkers (1000 by default),"
                + " or chosen by sizing with spec.deadline or spec.budget.")
        @Min(1) @Max(MAX_WORKERS) Integer workers,
        @JsonPropertyDescription("Where the model runs: cpu, or gpu (one nvidia.com/gpu per worker; the node pool must have"
                + " GPUs). Default: cpu.")
        Device device,
        @JsonPropertyDescription("A node pool from the operator's Helm values (nodeSelector, tolerations, GPU, prices)."
                + " Default: the operator's defaultNodePool.")
        String nodePool,
        @JsonPropertyDescription("Per-worker resource requests and limits (a standard ResourceRequirements); the worker's"
                + " intra-op threads follow its CPU limit. Default: the operator's default worker resources, or what sizing"
                + " chose with spec.deadline or spec.budget.")
        @SchemaFrom(type = ResourceRequirementsSchema.class) ResourceRequirements resources,
        @JsonPropertyDescription("How to reach S3 or an S3-compatible store. Default: AWS in us-east-1 with the pod's own"
                + " identity.")
        S3Spec s3,
        @JsonPropertyDescription("Retries per worker (the worker Job's backoffLimitPerIndex), 0..100. Bad input (exit code 3)"
                + " is never retried; an eviction, preemption or lost node is retried without counting. Default: 2.")
        @Min(0) @Max(100) Integer retries,
        @JsonPropertyDescription("Workers allowed to fail with the job still Succeeded (partial success, failed partitions"
                + " listed in status.failedPartitions), 0..10000. Default: 0.")
        @Min(0) @Max(MAX_WORKERS) Integer maxFailedWorkers,
        @JsonPropertyDescription("Seconds after they finish before the child Jobs (workers, summarizer, profiling) are deleted."
                + " Default: none, they stay.")
        @Min(0) Integer ttlSecondsAfterFinished,
        @JsonPropertyDescription("true suspends the workers (Kueue-compatible); set back to false to resume: finished"
                + " partitions are skipped. The only field that may change once the job is planned. Default: false.")
        Boolean suspend,
        @JsonPropertyDescription("The longest the workers may run, as 90s, 45m, 2h or 1h30m (up to 720h): the worker Job's"
                + " activeDeadlineSeconds, so time suspended or queued does not count. At the limit the workers are stopped,"
                + " what finished is summarized and kept, and the job fails with reason WorkersTimedOut. Default: none.")
        @Pattern(DurationText.PATTERN) String timeout,
        @JsonPropertyDescription("Worker image override. Default: the operator's worker image.")
        String image,
        @JsonPropertyDescription("Model replicas per worker, 1..256: each computes whole batches on its own thread with"
                + " CPUs / replicas intra-op threads; they share the loaded weights. Predictions are byte-identical whatever"
                + " the count. Default: chosen by measurement, or by sizing with spec.deadline or spec.budget.")
        @Min(1) @Max(MAX_REPLICAS) Integer replicas,
        @JsonPropertyDescription("When the job must be finished, a duration such as 10m or 1h30m: workers, batchSize,"
                + " replicas and each worker's CPU and memory not given are chosen to meet it at least cost (status.sizing"
                + " shows the choice). Default: none.")
        @Pattern(DurationText.PATTERN) String deadline,
        @JsonPropertyDescription("A cost ceiling, at least 0, in the currency of the node pool's prices: what is not given is"
                + " chosen for the shortest time within it; refused when the node pool has no prices. Default: none.")
        @Min(0) Double budget) implements InferenceJobSpecBuilder.With {

    public static final int DEFAULT_BATCH_SIZE = 512;
    public static final int MAX_WORKERS = 10_000;
    public static final int DEFAULT_RETRIES = 2;
    public static final int MAX_REPLICAS = 256;

    /** The required fields; every optional one unset (its default applies). Set the rest with the {@code with…} methods. */
    public static InferenceJobSpec of(ModelSpec model, DataSpec data, OutputSpec output) {
        return InferenceJobSpecBuilder.builder().model(model).data(data).output(output).build();
    }

    /** {@code spec.timeout} read, or empty for none (the validator has refused text it cannot read). */
    public Optional<Duration> timeoutDuration() {
        return DurationText.parse(timeout);
    }

    /** {@code spec.deadline} read, or empty for none (the validator has refused text it cannot read). */
    public Optional<Duration> deadlineDuration() {
        return DurationText.parse(deadline);
    }

    public int batchSizeOrDefault() {
        return batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    }

    public Device deviceOrDefault() {
        return device == null ? Device.cpu : device;
    }

    public S3Spec s3OrDefault() {
        return s3 == null ? new S3Spec(null, null, null, null) : s3;
    }

    public int retriesOrDefault() {
        return retries == null ? DEFAULT_RETRIES : retries;
    }

    public int maxFailedWorkersOrDefault() {
        return maxFailedWorkers == null ? 0 : maxFailedWorkers;
    }
}
