package io.dataparallel.operator.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dataparallel.core.plan.Planner;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operator's settings: the file the Helm chart mounts ({@code DATAPARALLEL_CONFIG}),
 * then {@code DATAPARALLEL_*} environment variables over it, then these defaults.
 *
 * @param watchNamespaces        namespaces to watch; empty means all
 * @param workerImage            the CPU worker image
 * @param gpuWorkerImage         the worker image for {@code device: gpu}
 * @param workerImagePullPolicy  pull policy of worker pods
 * @param workerServiceAccount   the service account worker pods run as (no API permissions)
 * @param workerServiceAccountAnnotations annotations of that account where the operator creates it
 *                               (all-namespaces mode), e.g. an IRSA role or a workload identity
 * @param maxWorkers             cap on workers when {@code spec.workers} is not given
 * @param pollIntervalSeconds    how often a running job's progress is read from S3
 * @param defaultNodePool        the pool used when {@code spec.nodePool} is empty
 * @param nodePools              pool name to placement
 * @param defaultWorkerResources worker resources when {@code spec.resources} is empty
 * @param metricsPort            port of /metrics, /healthz and /readyz
 * @param leaderElection         whether to take a Lease before reconciling
 */
@RecordBuilder
public record OperatorConfig(
        List<String> watchNamespaces,
        String workerImage,
        String gpuWorkerImage,
        String workerImagePullPolicy,
        String workerServiceAccount,
        Map<String, String> workerServiceAccountAnnotations,
        Integer maxWorkers,
        Integer pollIntervalSeconds,
        String defaultNodePool,
        Map<String, NodePool> nodePools,
        ResourceRequirements defaultWorkerResources,
        Integer metricsPort,
        LeaderElection leaderElection) implements OperatorConfigBuilder.With {

    /** Lease-based leader election. */
    public record LeaderElection(boolean enabled, String leaseName) {
    }

    public static final String DEFAULT_POOL = "cpu-default";
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public OperatorConfig {
        watchNamespaces = watchNamespaces == null ? List.of() : List.copyOf(watchNamespaces);
        workerImage = or(workerImage, "ghcr.io/dataparallel/worker:0.1.0");
        gpuWorkerImage = or(gpuWorkerImage, "ghcr.io/dataparallel/worker-gpu:0.1.0");
        workerImagePullPolicy = or(workerImagePullPolicy, "IfNotPresent");
        workerServiceAccount = or(workerServiceAccount, "dataparallel-worker");
        workerServiceAccountAnnotations = workerServiceAccountAnnotations == null ? Map.of() : Map.copyOf(workerServiceAccountAnnotations);
        maxWorkers = maxWorkers == null ? Planner.DEFAULT_MAX_WORKERS : maxWorkers;
        pollIntervalSeconds = pollIntervalSeconds == null ? 10 : pollIntervalSeconds;
        defaultNodePool = or(defaultNodePool, DEFAULT_POOL);
        nodePools = nodePools == null || nodePools.isEmpty()
                ? Map.of(DEFAULT_POOL, new NodePool(Map.of(), List.of(), false)) : Map.copyOf(nodePools);
        defaultWorkerResources = defaultWorkerResources != null ? defaultWorkerResources : new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("2")).addToRequests("memory", new Quantity("4Gi"))
                .addToLimits("memory", new Quantity("8Gi")).build();
        metricsPort = metricsPort == null ? 8080 : metricsPort;
        leaderElection = leaderElection == null ? new LeaderElection(true, "dataparallel-operator") : leaderElection;
    }

    /** Defaults only: what tests start from. */
    public static OperatorConfig defaults() {
        return OperatorConfigBuilder.builder().build();
    }

    /** The file named by DATAPARALLEL_CONFIG (if any), then DATAPARALLEL_* variables. */
    public static OperatorConfig load(Map<String, String> env) {
        OperatorConfig base = defaults();
        String file = env.get("DATAPARALLEL_CONFIG");
        if (file != null && !file.isBlank()) {
            try {
                base = YAML.readValue(Files.readString(Path.of(file)), OperatorConfig.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the operator configuration " + file + ": " + e.getMessage(), e);
            }
        }
        OperatorConfig fromFile = base;
        return base.with(b -> {
            if (env.containsKey("DATAPARALLEL_WATCH_NAMESPACES")) {
                b.watchNamespaces(Stream.of(env.get("DATAPARALLEL_WATCH_NAMESPACES").split("\\s*,\\s*")).filter(s -> !s.isEmpty()).toList());
            }
            if (env.containsKey("DATAPARALLEL_POLL_INTERVAL_SECONDS")) {
                b.pollIntervalSeconds(Integer.valueOf(env.get("DATAPARALLEL_POLL_INTERVAL_SECONDS")));
            }
            b.workerImage(env.getOrDefault("DATAPARALLEL_WORKER_IMAGE", fromFile.workerImage()))
                    .gpuWorkerImage(env.getOrDefault("DATAPARALLEL_GPU_WORKER_IMAGE", fromFile.gpuWorkerImage()))
                    .workerServiceAccount(env.getOrDefault("DATAPARALLEL_WORKER_SERVICE_ACCOUNT", fromFile.workerServiceAccount()));
        });
    }

    public Duration pollInterval() {
        return Duration.ofSeconds(pollIntervalSeconds);
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
