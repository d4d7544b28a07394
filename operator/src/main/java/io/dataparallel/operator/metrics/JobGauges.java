package io.dataparallel.operator.metrics;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;

/**
 * One series per InferenceJob for each {@link Row}, labelled {@code namespace} and {@code inferencejob}
 * as kube-state-metrics labels its objects: registered when the cache first holds the job, read from
 * the cache at each scrape, removed with the job. So the number of series follows the InferenceJobs
 * that exist, and a scrape never reads a figure older than the cache.
 */
final class JobGauges implements ResourceEventHandler<InferenceJob> {
    /** A per-job gauge: its name, help text and how it reads the job's status. */
    record Row(String name, String help, ToDoubleFunction<InferenceJobStatus> value) {
    }

    static final List<Row> ROWS = List.of(
            new Row("dataparallel_partitions", "partitions in the job's plan (status.partitions)",
                    s -> orZero(s.partitions())),
            new Row("dataparallel_partitions_done", "partitions of the job with a prediction so far (status.partitionsDone)",
                    s -> orZero(s.partitionsDone())),
            new Row("dataparallel_partitions_failed", "partitions of the job with no prediction (status.failedPartitionCount)",
                    s -> s.failedPartitionCount() == null ? 0 : s.failedPartitionCount()),
            new Row("dataparallel_samples_per_second", "the job's samples per second while Running"
                    + " (status.metrics.samplesPerSecond); 0 in any other phase",
                    s -> s.phase() == Phase.Running && s.metrics() != null && s.metrics().samplesPerSecond() != null
                            ? s.metrics().samplesPerSecond() : 0));

    private final MeterRegistry registry;
    private final SharedIndexInformer<InferenceJob> cache;
    private final BiConsumer<InferenceJob, InferenceJob> updated;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    /** @param updated told of each update (old, new), for what counts transitions */
    JobGauges(MeterRegistry registry, SharedIndexInformer<InferenceJob> cache, BiConsumer<InferenceJob, InferenceJob> updated) {
        this.registry = registry;
        this.cache = cache;
        this.updated = updated;
    }

    @Override
    public void onAdd(InferenceJob job) {
        String key = Cache.metaNamespaceKeyFunc(job);
        meters.computeIfAbsent(key, k -> {
            Tags tags = Tags.of("namespace", job.getMetadata().getNamespace(), "inferencejob", job.getMetadata().getName());
            List<Meter> registered = new ArrayList<>();
            for (Row row : ROWS) {
                registered.add(Gauge.builder(row.name(), () -> read(k, row)).tags(tags).description(row.help())
                        .strongReference(true).register(registry));
            }
            return registered;
        });
    }

    @Override
    public void onUpdate(InferenceJob old, InferenceJob now) {
        onAdd(now);
        updated.accept(old, now);
    }

    @Override
    public void onDelete(InferenceJob job, boolean deletedFinalStateUnknown) {
        List<Meter> gone = meters.remove(Cache.metaNamespaceKeyFunc(job));
        if (gone != null) {
            gone.forEach(registry::remove);
        }
    }

    /**
     * 0 for a figure the status does not hold yet (a job not planned has no partitions) and for a job
     * just deleted whose gauges go next: never NaN, which would make a PromQL sum over jobs NaN.
     */
    private double read(String key, Row row) {
        InferenceJob job = cache.getStore().getByKey(key);
        return job == null || job.getStatus() == null ? 0 : row.value().applyAsDouble(job.getStatus());
    }

    private static double orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** Jobs with gauges now, for tests. */
    int size() {
        return meters.size();
    }
}
