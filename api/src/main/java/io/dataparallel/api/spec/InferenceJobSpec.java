package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * partitions} with {@code workers} data-parallel workers, writing to {@link OutputSpec}.
 *
 * @param model                   the TorchScript model and its input and output names
 * @param data                    the partitions
 * @param output                  where results go
 * @param batchSize               samples per forward call (default 512)
 * @param workers                 WORLD_SIZE, 1..10000 (default: one per partition, up to the operator's cap)
 * @param device                  cpu or gpu (default cpu)
 * @param nodePool                node pool name, defined in the operator's configuration
 * @param resources               per-worker resource requests and limits
 * @param s3                      how to reach the store
 * @param retries                 retries per worker (backoffLimitPerIndex, default 2)
 * @param maxFailedWorkers        workers allowed to fail before the job fails (default 0)
 * @param ttlSecondsAfterFinished how long child Jobs stay after the job finished
 * @param suspend                 suspend the workers (Kueue-compatible)
 * @param timeout                 the longest the workers may run, e.g. {@code 2h} or {@code 1h30m} (the worker
 *                                Job's activeDeadlineSeconds: time suspended or queued does not count)
 * @param image                   worker image override
 * @param replicas                model replicas per worker process, each with its share of the worker's CPUs
 *                                (default: chosen by measurement)
 * @param deadline                when the job must be finished, a duration such as {@code 10m}: workers, batch
 *                                size, replicas and CPU not given are chosen to meet it at least cost
 * @param budget                  a cost ceiling in the currency of the node pool's prices: what is not given is
 *                                chosen for the shortest time within it
 *
 * <p>Copies are made with the generated {@code with…} methods and {@code with()…build()} ({@code @RecordBuilder}),
 * so a new field touches its declaration, its validation and the code that reads it, never the copies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RecordBuilder
public record InferenceJobSpec(
        @Required ModelSpec model,
        @Required DataSpec data,
        @Required OutputSpec output,
        @Min(1) @Max(1 << 20) Integer batchSize,
        @Min(1) @Max(MAX_WORKERS) Integer workers,
        Device device,
        String nodePool,
        ResourceRequirements resources,
        S3Spec s3,
        @Min(0) @Max(100) Integer retries,
        @Min(0) @Max(MAX_WORKERS) Integer maxFailedWorkers,
        @Min(0) Integer ttlSecondsAfterFinished,
        Boolean suspend,
        @Pattern(DurationText.PATTERN) String timeout,
        String image,
        @Min(1) @Max(MAX_REPLICAS) Integer replicas,
        @Pattern(DurationText.PATTERN) String deadline,
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
