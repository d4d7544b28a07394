package io.dataparallel.operator.resources;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.operator.config.NodePool;
import io.dataparallel.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Jobs of an InferenceJob. Workers: one Indexed Job, completions = parallelism =
 * WORLD_SIZE, RANK from the completion index, retries per index, exit code 3 fails an
 * index at once (bad input), the plan mounted read-only: the {@link WorkerLaunch} contract.
 * Summarizer: one pod, same image. Pods run as non-root with a read-only root filesystem;
 * /tmp is an emptyDir.
 */
public final class WorkerJobs {
    public static final String GPU = "nvidia.com/gpu";
    /** On a worker Job the operator suspended (spec.suspend): the only suspension it may undo. */
    public static final String SUSPENDED_BY_OPERATOR = "dataparallel.io/suspended-by-operator";
    /** Kueue's labels, copied from the InferenceJob to the worker Job so Kueue queues and ranks it. */
    static final List<String> QUEUE_LABELS = List.of("kueue.x-k8s.io/queue-name", "kueue.x-k8s.io/priority-class");
    /**
     * Kueue's annotations, copied from the InferenceJob to the worker Job: with job-min-parallelism Kueue may admit the
     * Job with fewer pods at a time (partial admission) where the quota has room for fewer than spec.workers; every rank
     * still runs, the ranks one after another.
     */
    static final List<String> QUEUE_ANNOTATIONS = List.of("kueue.x-k8s.io/job-min-parallelism");

    /** The summarizer reads JSON and small arrays: half a CPU. */
    static final ResourceRequirements SUMMARIZER_RESOURCES = new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("500m")).addToRequests("memory", new Quantity("1Gi"))
            .addToLimits("memory", new Quantity("2Gi")).build();

    private WorkerJobs() {
    }

    /**
     * @param suspend start the Job suspended (spec.suspend now, which may differ from the planned spec)
     */
    public static Job workers(InferenceJob job, Plan plan, OperatorConfig config, boolean suspend) {
        InferenceJobSpec spec = plan.spec();
        int world = plan.worldSize();
        ResourceRequirements resources = WorkerSizing.withScratch(workerResources(spec, config), plan);
        List<EnvVar> env = new ArrayList<>(List.of(
                env(WorkerLaunch.WORLD_SIZE, Integer.toString(world)),
                new EnvVarBuilder().withName(WorkerLaunch.RANK).withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.annotations['batch.kubernetes.io/job-completion-index']")
                        .endFieldRef().endValueFrom().build()));
        env.addAll(WorkerSizing.env(resources, plan));
        PodSpec pod = pod(job, spec, config, WorkerLaunch.WORKER, env, resources);
        pod.getVolumes().stream().filter(v -> "tmp".equals(v.getName())).findFirst()
                .ifPresent(v -> v.getEmptyDir().setSizeLimit(WorkerSizing.scratch(plan)));
        ObjectMeta meta = metadata(job, Children.workerJob(job), Children.ROLE_WORKER);
        Map<String, String> own = job.getMetadata().getLabels() == null ? Map.of() : job.getMetadata().getLabels();
        Map<String, String> labels = new LinkedHashMap<>(meta.getLabels());
        QUEUE_LABELS.stream().filter(own::containsKey).forEach(k -> labels.put(k, own.get(k)));
        meta.setLabels(labels);
        Map<String, String> ownAnnotations = job.getMetadata().getAnnotations() == null ? Map.of() : job.getMetadata().getAnnotations();
        Map<String, String> annotations = new LinkedHashMap<>();
        QUEUE_ANNOTATIONS.stream().filter(ownAnnotations::containsKey).forEach(k -> annotations.put(k, ownAnnotations.get(k)));
        if (suspend) {
            annotations.put(SUSPENDED_BY_OPERATOR, "true");
        }
        meta.setAnnotations(annotations.isEmpty() ? null : annotations);
        return new JobBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withCompletionMode("Indexed")
                .withCompletions(world)
                .withParallelism(world)
                .withBackoffLimitPerIndex(spec.retriesOrDefault())
                .withMaxFailedIndexes(Math.min(spec.maxFailedWorkersOrDefault(), world)) // the API server refuses more than completions
                .withSuspend(suspend)
                .withTtlSecondsAfterFinished(spec.ttlSecondsAfterFinished())
                // the Job controller stops the workers and fails the Job (reason DeadlineExceeded); its clock
                // restarts when the Job is resumed, so time suspended or queued does not count
                .withActiveDeadlineSeconds(spec.timeoutDuration().map(Duration::getSeconds).orElse(null))
                .withNewPodFailurePolicy()
                .addNewRule().withAction("FailIndex").withNewOnExitCodes().withOperator("In").withValues(WorkerExit.BAD_INPUT.code())
                .endOnExitCodes().endRule()
                // an evicted or preempted pod is not the worker's fault: retry without counting it
                .addNewRule().withAction("Ignore").addNewOnPodCondition().withType("DisruptionTarget").withStatus("True")
                .endOnPodCondition().endRule()
                .endPodFailurePolicy()
                .withNewTemplate().withNewMetadata().withLabels(Children.labels(job, Children.ROLE_WORKER)).endMetadata()
                .withSpec(pod).endTemplate()
                .endSpec()
                .build();
    }

    /** @param workersTimedOut the workers were stopped at spec.timeout: the summary and the report say so */
    public static Job summarizer(InferenceJob job, Plan plan, OperatorConfig config, boolean workersTimedOut) {
        InferenceJobSpec spec = plan.spec();
        ResourceRequirements small = SUMMARIZER_RESOURCES;
        // the summarizer reads JSON and small arrays: the CPU image and no GPU, whatever the device
        PodSpec pod = pod(job, spec, config, WorkerLaunch.SUMMARIZER,
                workersTimedOut ? List.of(env(WorkerLaunch.WORKERS_TIMED_OUT, "true")) : List.of(), small);
        pod.getContainers().get(0).setImage(image(spec, config, false));
        pod.setNodeSelector(null);
        pod.setTolerations(null);
        return new JobBuilder()
                .withMetadata(metadata(job, Children.summarizerJob(job), Children.ROLE_SUMMARIZER))
                .withNewSpec()
                .withCompletions(1)
                .withParallelism(1)
                .withBackoffLimit(3)
                .withTtlSecondsAfterFinished(spec.ttlSecondsAfterFinished())
                .withNewTemplate().withNewMetadata().withLabels(Children.labels(job, Children.ROLE_SUMMARIZER)).endMetadata()
                .withSpec(pod).endTemplate()
                .endSpec()
                .build();
    }

    static ObjectMeta metadata(InferenceJob job, String name, String role) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(Children.labels(job, role))
                .withOwnerReferences(Children.owner(job))
                .build();
    }

    private static PodSpec pod(InferenceJob job, InferenceJobSpec spec, OperatorConfig config, String command,
                               List<EnvVar> extraEnv, ResourceRequirements resources) {
        return pod(job, spec, config, command, extraEnv, resources, Children.planConfigMap(job));
    }

    static PodSpec pod(InferenceJob job, InferenceJobSpec spec, OperatorConfig config, String command,
                       List<EnvVar> extraEnv, ResourceRequirements resources, String planConfigMap) {
        boolean gpu = spec.deviceOrDefault() == Device.gpu;
        NodePool pool = pool(spec, config);
        List<EnvVar> env = new ArrayList<>(extraEnv);
        env.add(env(WorkerLaunch.PLAN, WorkerLaunch.DEFAULT_PLAN));
        if (job.getMetadata().getUid() != null) {
            env.add(env(WorkerLaunch.JOB_UID, job.getMetadata().getUid()));
        }
        env.add(env(WorkerLaunch.TMPDIR, "/tmp"));
        String secret = spec.s3OrDefault().credentialsSecret();
        if (secret != null && !secret.isBlank()) {
            for (String key : WorkerLaunch.CREDENTIAL_KEYS) {
                env.add(new EnvVarBuilder().withName(key).withNewValueFrom().withNewSecretKeyRef()
                        .withName(secret).withKey(key).withOptional(key.equals(WorkerLaunch.SESSION_TOKEN))
                        .endSecretKeyRef().endValueFrom().build());
            }
        }
        Container container = new ContainerBuilder()
                .withName(command) // worker or summarizer: the container, the command and the role share the name
                .withImage(image(spec, config, gpu))
                .withImagePullPolicy(config.workerImagePullPolicy())
                .withArgs(command)
                .withEnv(env)
                .withResources(resources)
                .addNewVolumeMount().withName("plan").withMountPath(WorkerLaunch.PLAN_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .withNewSecurityContext()
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .build();
        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withServiceAccountName(config.workerServiceAccount())
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(10001L).withFsGroup(10001L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .withNodeSelector(pool.nodeSelector().isEmpty() ? null : pool.nodeSelector())
                .withTolerations(pool.tolerations().isEmpty() ? null : pool.tolerations())
                .withContainers(container)
                .addNewVolume().withName("plan").withNewConfigMap().withName(planConfigMap).endConfigMap().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .build();
    }

    /** The name of the pool the spec runs on: spec.nodePool, else the configured default. */
    public static String poolName(InferenceJobSpec spec, OperatorConfig config) {
        return spec.nodePool() == null || spec.nodePool().isBlank() ? config.defaultNodePool() : spec.nodePool();
    }

    /** The node pool named by the spec, else the configured default; an unknown name is a bad spec. */
    public static NodePool pool(InferenceJobSpec spec, OperatorConfig config) {
        String name = poolName(spec, config);
        NodePool pool = config.nodePools().get(name);
        if (pool == null) {
            throw new BadInputException("spec.nodePool", "'" + name + "' is not a node pool of this operator: use one of "
                    + config.nodePools().keySet().stream().sorted().toList() + " (Helm value nodePools)");
        }
        if (spec.deviceOrDefault() == Device.gpu && !pool.gpu()) {
            throw new BadInputException("spec.nodePool", "'" + name + "' has no GPUs but spec.device is gpu: use a GPU pool ("
                    + config.nodePools().entrySet().stream().filter(e -> e.getValue().gpu()).map(Map.Entry::getKey).sorted().toList()
                    + ") or device: cpu");
        }
        return pool;
    }

    private static String image(InferenceJobSpec spec, OperatorConfig config, boolean gpu) {
        if (spec.image() != null && !spec.image().isBlank()) {
            return spec.image();
        }
        return gpu ? config.gpuWorkerImage() : config.workerImage();
    }

    /** What each worker requests and is limited to: spec.resources, else the operator's default; one GPU on a GPU device. */
    public static ResourceRequirements workerResources(InferenceJobSpec spec, OperatorConfig config) {
        ResourceRequirements base = spec.resources() != null
                && (spec.resources().getRequests() != null && !spec.resources().getRequests().isEmpty()
                    || spec.resources().getLimits() != null && !spec.resources().getLimits().isEmpty())
                ? spec.resources() : config.defaultWorkerResources();
        if (spec.deviceOrDefault() != Device.gpu) {
            return base;
        }
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder(base);
        if (base.getLimits() == null || !base.getLimits().containsKey(GPU)) {
            b.addToLimits(GPU, new Quantity("1"));
        }
        return b.build();
    }

    static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
