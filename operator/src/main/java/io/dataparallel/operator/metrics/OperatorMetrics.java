package io.dataparallel.operator.metrics;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's own metrics, computed at scrape time from caches of InferenceJobs (one per watched
 * namespace: the operator may not list cluster-wide): jobs by phase, each job's partitions (total,
 * done, failed) and samples/s as {@link JobGauges}, and a counter of jobs ended by phase. JOSDK's
 * reconcile metrics sit beside them in the same registry, with the help texts {@link JosdkHelp} gives.
 */
public final class OperatorMetrics {
    static final String JOBS = "dataparallel_jobs";
    static final String JOBS_ENDED = "dataparallel_jobs_ended";

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

    /** Gives JOSDK's metrics their help texts: call before JOSDK registers any (a filter applies only to meters after it). */
    public static void describeJosdk(MeterRegistry registry) {
        registry.config().meterFilter(JosdkHelp.FILTER);
    }

    /**
     * Registers every metric on {@code registry}, reading {@code caches} (add before they start, so
     * that each job's gauges appear with the first list).
     *
     * @param leading whether this replica holds the leader Lease: only the leader counts jobs ended, as
     *                every replica's cache sees the same jobs end and a sum over replicas must not count twice
     */
    public static void register(MeterRegistry registry, List<SharedIndexInformer<InferenceJob>> caches, BooleanSupplier leading) {
        Supplier<List<InferenceJob>> jobs = () -> caches.stream().flatMap(i -> i.getStore().list().stream()).toList();
        for (Phase phase : Phase.values()) {
            // strong: the supplier is a lambda nothing else holds, and a gauge's state is weak by default
            Gauge.builder(JOBS, jobs, s -> s.get().stream().filter(j -> phaseOf(j) == phase).count())
                    .tag("phase", phase.name()).description("InferenceJobs by phase").strongReference(true).register(registry);
        }
        for (Phase phase : List.of(Phase.Succeeded, Phase.Failed)) {
            // registered up front, so that a query over a job that has not ended yet reads 0 instead of nothing
            endedCounter(registry, phase);
        }
        for (SharedIndexInformer<InferenceJob> cache : caches) {
            cache.addEventHandler(new JobGauges(registry, cache, (old, now) -> {
                if (leading.getAsBoolean() && ended(now) && !ended(old)) {
                    endedCounter(registry, phaseOf(now)).increment();
                }
            }));
        }
    }

    private static Counter endedCounter(MeterRegistry registry, Phase phase) {
        return Counter.builder(JOBS_ENDED).tag("phase", phase.name())
                .description("InferenceJobs this operator saw end, by the phase they ended in (Succeeded or Failed)")
                .register(registry);
    }

    static Phase phaseOf(InferenceJob job) {
        return job == null || job.getStatus() == null ? null : job.getStatus().phase();
    }

    private static boolean ended(InferenceJob job) {
        Phase phase = phaseOf(job);
        return phase == Phase.Succeeded || phase == Phase.Failed;
    }
}
