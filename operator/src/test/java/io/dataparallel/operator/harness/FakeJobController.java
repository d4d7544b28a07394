package io.dataparallel.operator.harness;

import io.dataparallel.api.Timestamps;
import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.worker.WorkerMain;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the Job controller and the kubelet for operator tests. For every index of a Job it
 * runs the real worker entry point in this JVM with the environment the pod would get
 * (fieldRef and secretKeyRef resolved, the plan ConfigMap written where its volume is
 * mounted, /tmp mapped to a folder), applies the Job's retry rules (backoffLimitPerIndex,
 * the podFailurePolicy's FailIndex on exit code 3, maxFailedIndexes) and writes the status a
 * real controller writes: completedIndexes, failedIndexes, succeeded, failed, conditions.
 */
public final class FakeJobController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FakeJobController.class);
    private final KubernetesClient client;
    private final Path dir;
    private final ExecutorService pods = Executors.newFixedThreadPool(2);
    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger podsRun = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile Predicate<Job> held = j -> true;
    private Watch watch;

    public FakeJobController(KubernetesClient client, Path dir) {
        this.client = client;
        this.dir = dir;
    }

    public FakeJobController start() {
        watch = client.batch().v1().jobs().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                String key = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName() + "/" + job.getMetadata().getUid();
                if (action == Action.DELETED) {
                    JobState s = jobs.remove(key);
                    if (s != null) {
                        s.deleted = true;
                    }
                    return;
                }
                jobs.computeIfAbsent(key, k -> new JobState(job)).observe(job);
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test is over
            }
        });
        return this;
    }

    /** Pods that start from now on wait until {@link #release()}. */
    public void hold() {
        hold(j -> true);
    }

    /** Pods of the Jobs {@code which} selects that start from now on wait until {@link #release()}. */
    public void hold(Predicate<Job> which) {
        held = which;
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** Pods started so far (attempts included). */
    public int podsRun() {
        return podsRun.get();
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        release();
        pods.shutdownNow();
    }

    /** One Job's indexes and their attempts. */
    private final class JobState {
        final String namespace;
        final String name;
        final int completions;
        final boolean indexed;
        final TreeSet<Integer> completed = new TreeSet<>();
        final TreeSet<Integer> failed = new TreeSet<>();
        final TreeSet<Integer> running = new TreeSet<>();
        final Map<Integer, Integer> attempts = new HashMap<>();
        final String startTime = Timestamps.now();
        Job spec;
        boolean finished;
        volatile boolean deleted;

        JobState(Job job) {
            this.namespace = job.getMetadata().getNamespace();
            this.name = job.getMetadata().getName();
            this.completions = job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions();
            this.indexed = "Indexed".equals(job.getSpec().getCompletionMode());
        }

        synchronized void observe(Job job) {
            spec = job;
            if (finished || Boolean.TRUE.equals(job.getSpec().getSuspend())) {
                return;
            }
            for (int i = 0; i < completions; i++) {
                if (!completed.contains(i) && !failed.contains(i) && !running.contains(i)) {
                    startPod(i);
                }
            }
        }

        private void startPod(int index) {
            running.add(index);
            Job job = spec;
            pods.submit(() -> runPod(job, index));
        }

        private void runPod(Job job, int index) {
            try {
                while (held.test(job) && !gate.await(50, TimeUnit.MILLISECONDS)) {
                    if (deleted) {
                        return;
                    }
                }
                if (deleted || suspended()) {
                    synchronized (this) {
                        running.remove(index);
                    }
                    // the Job may have been resumed while this pod looked: look at it again, as a controller would
                    Job current = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
                    if (current != null && !deleted) {
                        observe(current);
                    }
                    return;
                }
                podsRun.incrementAndGet();
                Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
                Map<String, String> env = env(job, c, index);
                int code = WorkerMain.run(c.getArgs().get(0), env, System.currentTimeMillis());
                finish(index, code);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("pod {} of {} failed in the harness: {}", index, name, e.toString());
                finish(index, WorkerExit.RETRY.code());
            }
        }

        private boolean suspended() {
            Job current = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
            return current == null || Boolean.TRUE.equals(current.getSpec().getSuspend());
        }

        private synchronized void finish(int index, int code) {
            LOG.info("pod {} of {} exited {}", index, name, code);
            running.remove(index);
            if (deleted) {
                return;
            }
            int attempt = attempts.merge(index, 1, Integer::sum);
            int retries = indexed && spec.getSpec().getBackoffLimitPerIndex() != null
                    ? spec.getSpec().getBackoffLimitPerIndex()
                    : spec.getSpec().getBackoffLimit() == null ? 6 : spec.getSpec().getBackoffLimit();
            if (code == 0) {
                completed.add(index);
            } else if (failIndexAt(code) || attempt > retries) {
                failed.add(index);
            } else if (!Boolean.TRUE.equals(spec.getSpec().getSuspend())) {
                startPod(index);
            }
            writeStatus();
        }

        private boolean failIndexAt(int code) {
            var policy = spec.getSpec().getPodFailurePolicy();
            if (policy == null) {
                return false;
            }
            return policy.getRules().stream().anyMatch(r -> "FailIndex".equals(r.getAction()) && r.getOnExitCodes() != null
                    && r.getOnExitCodes().getValues().contains(code));
        }

        private void writeStatus() {
            Integer maxFailed = spec.getSpec().getMaxFailedIndexes();
            boolean tooMany = maxFailed != null && failed.size() > maxFailed;
            boolean allDone = completed.size() + failed.size() == completions;
            List<JobCondition> conditions = new ArrayList<>();
            if (tooMany || allDone) {
                finished = true;
                if (failed.isEmpty()) {
                    conditions.add(condition("SuccessCriteriaMet", "CompletionsReached"));
                    conditions.add(condition("Complete", "CompletionsReached"));
                } else {
                    String reason = !indexed ? "BackoffLimitExceeded" : tooMany ? "MaxFailedIndexesExceeded" : "FailedIndexes";
                    conditions.add(condition("FailureTarget", reason));
                    conditions.add(condition("Failed", reason));
                }
            }
            JobStatus status = new JobStatus();
            status.setStartTime(startTime);
            status.setActive(finished ? 0 : running.size());
            status.setSucceeded(completed.size());
            status.setFailed(attempts.values().stream().mapToInt(Integer::intValue).sum() - completed.size());
            if (indexed) {
                status.setCompletedIndexes(intervals(completed));
                status.setFailedIndexes(spec.getSpec().getBackoffLimitPerIndex() == null ? null : intervals(failed));
            }
            status.setConditions(conditions.isEmpty() ? null : conditions);
            if (finished) {
                status.setCompletionTime(failed.isEmpty() ? Timestamps.now() : null);
            }
            // like the real controller: on a conflict (the operator edited spec.suspend) read again and retry
            for (int attempt = 0; ; attempt++) {
                try {
                    client.batch().v1().jobs().inNamespace(namespace).withName(name).editStatus(j -> {
                        j.setStatus(status);
                        return j;
                    });
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt > 20) {
                        throw e;
                    }
                }
            }
        }

        private Map<String, String> env(Job job, Container c, int index) {
            Path podDir = dir.resolve(namespace + "-" + name + "-" + index + "-" + System.nanoTime());
            Map<String, String> env = new HashMap<>();
            for (EnvVar e : c.getEnv()) {
                if (e.getValue() != null) {
                    env.put(e.getName(), e.getValue());
                } else if (e.getValueFrom().getFieldRef() != null) {
                    env.put(e.getName(), Integer.toString(index)); // the only fieldRef workers use: the completion index
                } else if (e.getValueFrom().getSecretKeyRef() != null) {
                    var ref = e.getValueFrom().getSecretKeyRef();
                    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
                    if (secret != null && secret.getData() != null && secret.getData().containsKey(ref.getKey())) {
                        env.put(e.getName(), new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
                                StandardCharsets.UTF_8));
                    } else if (secret != null && secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
                        // the mock keeps stringData as written; the API server would have moved it into data
                        env.put(e.getName(), secret.getStringData().get(ref.getKey()));
                    } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                        throw new IllegalStateException("secret " + ref.getName() + " key " + ref.getKey() + " is missing");
                    }
                }
            }
            if (indexed) {
                env.put(WorkerLaunch.COMPLETION_INDEX, Integer.toString(index));
            }
            Map<String, String> mapped = new HashMap<>(env);
            for (VolumeMount m : c.getVolumeMounts()) {
                Path local = podDir.resolve(m.getName());
                mount(job, m.getName(), local);
                for (Map.Entry<String, String> e : env.entrySet()) {
                    if (e.getValue().startsWith(m.getMountPath())) {
                        mapped.put(e.getKey(), local + e.getValue().substring(m.getMountPath().length()));
                    }
                }
            }
            env = mapped;
            env.remove("DJL_CACHE_DIR"); // the image's cache folder; this JVM already has libtorch loaded
            env.put(WorkerLaunch.THREADS, "1");
            return env;
        }

        private void mount(Job job, String volumeName, Path local) {
            try {
                Files.createDirectories(local);
                for (Volume v : job.getSpec().getTemplate().getSpec().getVolumes()) {
                    if (v.getName().equals(volumeName) && v.getConfigMap() != null) {
                        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(v.getConfigMap().getName()).get();
                        if (cm != null && cm.getBinaryData() != null) {
                            for (Map.Entry<String, String> e : cm.getBinaryData().entrySet()) {
                                Files.write(local.resolve(e.getKey()), Base64.getDecoder().decode(e.getValue()));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String intervals(TreeSet<Integer> indexes) {
        if (indexes.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int i : indexes) {
            if (start == null) {
                start = i;
            } else if (i != prev + 1) {
                b.append(b.length() == 0 ? "" : ",").append(start.equals(prev) ? "" + start : start + "-" + prev);
                start = i;
            }
            prev = i;
        }
        b.append(b.length() == 0 ? "" : ",").append(start.equals(prev) ? "" + start : start + "-" + prev);
        return b.toString();
    }

    private static JobCondition condition(String type, String reason) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
                .withLastTransitionTime(Timestamps.now()).withLastProbeTime(Timestamps.now()).build();
    }

}
