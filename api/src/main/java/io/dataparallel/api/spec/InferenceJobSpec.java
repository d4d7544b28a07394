package io.dataparallel.api.spec;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

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
 * @param image                   worker image override
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        String image) {

    public static final int DEFAULT_BATCH_SIZE = 512;
    public static final int MAX_WORKERS = 10_000;
    public static final int DEFAULT_RETRIES = 2;

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
