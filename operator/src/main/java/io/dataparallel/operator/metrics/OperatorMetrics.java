package io.dataparallel.operator.metrics;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The operator's own gauges, computed at scrape time from the caches of InferenceJobs (one
 * per watched namespace: the operator may not list cluster-wide), with
 * low-cardinality tags only: jobs by phase, partitions done and samples/s of running jobs.
 * JOSDK's reconcile metrics sit beside them in the same registry.
 */
public final class OperatorMetrics {
    private OperatorMetrics() {
    }

    /**
     * The caches the gauges read: one InferenceJob informer per watched namespace, or one over all
     * namespaces when none is listed. With a list the chart grants nothing cluster-wide, so a
     * cluster-wide informer would be refused (403) and the gauges would stay at zero. Not started.
     */
    public static List<SharedIndexInformer<InferenceJob>> caches(KubernetesClient client, List<String> watchNamespaces) {
        return watchNamespaces.isEmpty()
                ? List.of(client.resources(InferenceJob.class).inAnyNamespace().runnableInformer(0))
                : watchNamespaces.stream().map(ns -> client.resources(InferenceJob.class).inNamespace(ns).runnableInformer(0)).toList();
    }

    /** The InferenceJobs held by {@code caches}, read at each scrape. */
    public static Supplier<List<InferenceJob>> jobs(List<SharedIndexInformer<InferenceJob>> caches) {
        return () -> caches.stream().flatMap(i -> i.getStore().list().stream()).toList();
    }

    public static void register(MeterRegistry registry, Supplier<List<InferenceJob>> jobs) {
        for (Phase phase : Phase.values()) {
            Gauge.builder("dataparallel_jobs", jobs, s -> s.get().stream()
                            .filter(j -> j.getStatus() != null && j.getStatus().phase() == phase).count())
                    .tag("phase", phase.name()).description("InferenceJobs by phase").strongReference(true).register(registry);
        }
        gauge(registry, "dataparallel_partitions_done", "partitions with a prediction, over all jobs", jobs, j ->
                j.getStatus() == null || j.getStatus().partitionsDone() == null ? 0 : j.getStatus().partitionsDone());
        gauge(registry, "dataparallel_samples_per_second", "samples/s of running jobs, summed", jobs, j ->
                j.getStatus() != null && j.getStatus().phase() == Phase.Running && j.getStatus().metrics() != null
                        && j.getStatus().metrics().samplesPerSecond() != null ? j.getStatus().metrics().samplesPerSecond() : 0);
    }

    private static void gauge(MeterRegistry registry, String name, String help, Supplier<List<InferenceJob>> jobs,
                              ToDoubleFunction<InferenceJob> value) {
        // strong: the supplier is a lambda nothing else holds, and a gauge's state is weak by default
        Gauge.builder(name, jobs, s -> s.get().stream().mapToDouble(value).sum()).description(help).strongReference(true)
                .register(registry);
    }
}
