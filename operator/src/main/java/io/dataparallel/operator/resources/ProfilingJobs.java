package io.dataparallel.operator.resources;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.operator.config.NodePool;
import io.dataparallel.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The profiling Job of a job with spec.deadline or spec.budget: one pod, the worker image, on the
 * job's node pool, running the worker's {@code profile} command on the first partition. Its plan
 * is a one-rank plan of that partition, in its own ConfigMap, so the worker reads it as it reads any
 * plan; it writes {@code profile.json} under the output prefix.
 */
public final class ProfilingJobs {
    /** Profiling is short: a pod that fails is tried once more, then the job fails with its reason. */
    static final int RETRIES = 1;

    private ProfilingJobs() {
    }

    /** A one-rank plan of {@code listing}'s first partition, for the profiling pod. */
    public static Plan firstPartition(Plan listing) {
        InferenceJobSpec spec = listing.spec().withWorkers(1);
        return new Plan(listing.version(), listing.job(), spec, 1, List.of(listing.keys().get(0)),
                List.of(listing.sizes().get(0)), List.of(listing.etags().get(0)), List.of(0, 1), List.of(), listing.model());
    }

    public static ConfigMap configMap(InferenceJob job, Plan firstPartition) {
        ConfigMap cm = PlanConfigMap.build(job, firstPartition);
        cm.getMetadata().setName(Children.profilingPlan(job));
        cm.getMetadata().setLabels(Children.labels(job, Children.ROLE_PROFILING));
        return cm;
    }

    /**
     * The Job. It gets the pool's largest worker size (or the default worker resources), so the
     * worker can measure the thread counts every allowed size would give.
     */
    public static Job job(InferenceJob job, Plan firstPartition, OperatorConfig config, String profileOut) {
        InferenceJobSpec spec = firstPartition.spec();
        ResourceRequirements resources = WorkerSizing.withScratch(resources(spec, config), firstPartition);
        String pool = WorkerJobs.poolName(spec, config);
        List<EnvVar> env = new ArrayList<>(List.of(WorkerJobs.env(WorkerLaunch.WORLD_SIZE, "1"),
                WorkerJobs.env(WorkerLaunch.RANK, "0"),
                WorkerJobs.env(WorkerLaunch.PROFILE_OUT, profileOut),
                // a pool is one kind of machine: its name is what the profile is valid for
                WorkerJobs.env(WorkerLaunch.NODE_POOL, pool),
                WorkerJobs.env(WorkerLaunch.MACHINE, pool)));
        String threads = threadCounts(WorkerJobs.pool(spec, config));
        if (threads != null) {
            env.add(WorkerJobs.env(WorkerLaunch.PROFILE_THREADS, threads));
        }
        env.addAll(WorkerSizing.env(resources, firstPartition));
        PodSpec pod = WorkerJobs.pod(job, firstPartition.spec(), config, WorkerLaunch.PROFILE, env, resources, Children.profilingPlan(job));
        pod.getContainers().get(0).setName("worker");
        pod.getVolumes().stream().filter(v -> "tmp".equals(v.getName())).findFirst()
                .ifPresent(v -> v.getEmptyDir().setSizeLimit(WorkerSizing.scratch(firstPartition)));
        return new JobBuilder()
                .withMetadata(WorkerJobs.metadata(job, Children.profilingJob(job), Children.ROLE_PROFILING))
                .withNewSpec()
                .withCompletions(1)
                .withParallelism(1)
                .withBackoffLimit(RETRIES)
                .withTtlSecondsAfterFinished(firstPartition.spec().ttlSecondsAfterFinished())
                .withNewTemplate().withNewMetadata().withLabels(Children.labels(job, Children.ROLE_PROFILING)).endMetadata()
                .withSpec(pod).endTemplate()
                .endSpec()
                .build();
    }

    /** The thread counts the pool's worker sizes would run with: what the search needs measured; null for the default. */
    static String threadCounts(NodePool pool) {
        if (pool.workerSizes().isEmpty()) {
            return null;
        }
        return pool.workerSizes().stream().mapToInt(s -> Math.max(1, (int) Math.floor(s.cpus()))).distinct().sorted()
                .mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
    }

    /** The largest allowed size of the pool (by CPUs), else what a worker would get without sizing. */
    public static ResourceRequirements resources(InferenceJobSpec spec, OperatorConfig config) {
        NodePool pool = WorkerJobs.pool(spec, config);
        if (pool.workerSizes().isEmpty()) {
            return WorkerJobs.workerResources(spec, config);
        }
        NodePool.WorkerSize largest = pool.workerSizes().stream().max(Comparator.comparingDouble(NodePool.WorkerSize::cpus)).get();
        return WorkerJobs.workerResources(spec.withResources(requests(largest)), config);
    }

    /** A worker size as pod resources: requests, and a memory limit of the same (what the sizing counted on). */
    public static ResourceRequirements requests(NodePool.WorkerSize size) {
        return new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity(size.cpu()))
                .addToRequests("memory", new Quantity(size.memory())).addToLimits("memory", new Quantity(size.memory())).build();
    }
}
