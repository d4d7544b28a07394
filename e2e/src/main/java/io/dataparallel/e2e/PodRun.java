package io.dataparallel.e2e;

import io.dataparallel.core.concurrent.DaemonThreads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod on a node of the process kubelet: its single container run as a local process with
 * the pod's environment and volumes, restarted per {@code restartPolicy}, probed per its
 * readiness and liveness probes; its state goes to pod status through {@link PodStatusReport}.
 */
final class PodRun implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PodRun.class);
    private final KubernetesClient client;
    private final Pod pod;
    private final Node node;
    private final Images images;
    private final Path dir;
    private final Path caCert;
    private final int apiPort;
    private final String ns;
    private final String name;
    private volatile Process process;
    private volatile boolean stopped;
    /** The memory watcher killed the current process: its exit is an OOM kill. */
    private volatile boolean oomKilled;
    /** What is written to the pod's status, and kept until the API server took it. */
    private final PodStatusReport status;
    private volatile boolean ready;
    /** Counted down when {@link #run} returns: nothing writes into the pod's folder after that. */
    private final CountDownLatch ended = new CountDownLatch(1);
    /** Set once a delete was seen, so repeated update events do not stop it twice. */
    private final AtomicBoolean stopping = new AtomicBoolean();
    private int restarts;
    private Map<String, Object> lastTerminated;

    PodRun(KubernetesClient client, Pod pod, Node node, Images images, Path dir, Path caCert, int apiPort) {
        this.client = client;
        this.pod = pod;
        this.node = node;
        this.images = images;
        this.dir = dir;
        this.caCert = caCert;
        this.apiPort = apiPort;
        this.ns = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.status = new PodStatusReport(client, pod);
    }

    @Override
    public void run() {
        try {
            runPod();
        } catch (Exception e) {
            if (!stopped) {
                LOG.warn("pod {}/{}: {}", ns, name, e.toString());
            }
        } finally {
            ended.countDown();
        }
    }

    /** Waits until {@link #run} has returned (the container exited and will not restart); false on timeout. */
    boolean awaitEnd(long seconds) throws InterruptedException {
        return ended.await(seconds, TimeUnit.SECONDS);
    }

    /** The pod's folder: its volumes and container logs. */
    Path dir() {
        return dir;
    }

    private void runPod() throws Exception {
        Container container = pod.getSpec().getContainers().get(0);
        var image = images.resolve(container.getImage());
        if (image.isEmpty()) {
            writeStatus("Pending", waiting("ErrImagePull", "the process kubelet runs only the dataparallel images, not "
                    + container.getImage()), false);
            return;
        }
        PodFiles files = new PodFiles(client, pod, dir, caCert);
        Map<String, String> env;
        while (true) {
            try {
                files.materialise(container);
                env = PodEnv.build(client, pod, container, node, image.get().env(), files, apiPort);
                break;
            } catch (PodFiles.NotReady | PodEnv.ConfigError e) {
                boolean config = e instanceof PodEnv.ConfigError;
                writeStatus("Pending", waiting(config ? "CreateContainerConfigError" : "ContainerCreating", e.getMessage()), false);
                if (stopped) {
                    // deleted before its container started: a kubelet ends such a pod Failed
                    writeStatus("Failed", Map.of("terminated", Map.of("exitCode", 137, "reason", "ContainerStatusUnknown",
                            "message", "the pod was deleted before its container started")), false);
                    return;
                }
                Thread.sleep(2000);
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(image.get().jvmOptions());
        OptionalLong memoryLimit = MemoryLimit.of(container);
        if (memoryLimit.isPresent()) {
            // the JVM sizes its heap from the limit, as it reads it from the cgroup in a container
            command.add("-XX:MaxRAM=" + memoryLimit.getAsLong());
        }
        String tmp = files.map("/tmp");
        if (tmp != null) {
            command.add("-Djava.io.tmpdir=" + tmp);
        }
        command.addAll(List.of("-cp", image.get().classpath(), image.get().mainClass()));
        command.addAll(container.getArgs() == null || container.getArgs().isEmpty()
                ? image.get().defaultArgs() : container.getArgs());
        String restartPolicy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        Path log = dir.resolve(container.getName() + ".log");
        while (!stopped) {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().clear();
            builder.environment().putAll(env);
            String startedAt = now();
            process = builder.start();
            if (stopped) {
                // stopped between the loop's check and the start: stop() saw the previous process only
                process.destroyForcibly();
            }
            ready = container.getReadinessProbe() == null;
            writeStatus("Running", Map.of("running", Map.of("startedAt", startedAt)), ready);
            Thread probes = probes(container, process);
            oomKilled = false;
            Thread memory = memoryLimit.isPresent() ? MemoryLimit.watch(ns + "/" + name, process, memoryLimit.getAsLong(),
                    () -> oomKilled = true) : null;
            int exit = process.waitFor();
            probes.interrupt();
            if (memory != null) {
                memory.interrupt();
            }
            Map<String, Object> terminated = new LinkedHashMap<>();
            terminated.put("exitCode", exit);
            terminated.put("reason", oomKilled ? "OOMKilled" : exit == 0 ? "Completed" : "Error");
            terminated.put("startedAt", startedAt);
            terminated.put("finishedAt", now());
            boolean restart = !stopped && ("Always".equals(restartPolicy) || "OnFailure".equals(restartPolicy) && exit != 0);
            if (!restart) {
                writeStatus(exit == 0 ? "Succeeded" : "Failed", Map.of("terminated", terminated), false);
                return;
            }
            restarts++;
            lastTerminated = Map.of("terminated", terminated);
            LOG.info("pod {}/{}: container exited {}, restarting ({})", ns, name, exit, restarts);
            Thread.sleep(Math.min(10_000, 1000L * restarts));
        }
    }

    /** Readiness changes the Ready condition; liveness failures kill the process, which restartPolicy restarts. */
    private Thread probes(Container container, Process p) {
        Probe readiness = container.getReadinessProbe();
        Probe liveness = container.getLivenessProbe();
        Thread t = DaemonThreads.named("probe-" + name).newThread(() -> {
            long start = System.nanoTime();
            int liveFailures = 0;
            try {
                while (p.isAlive()) {
                    long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                    if (readiness != null && elapsed >= or(readiness.getInitialDelaySeconds(), 0)) {
                        boolean ok = httpOk(container, readiness);
                        if (ok != ready) {
                            ready = ok;
                            writeStatus("Running", null, ok);
                        }
                    }
                    if (liveness != null && elapsed >= or(liveness.getInitialDelaySeconds(), 0)) {
                        liveFailures = httpOk(container, liveness) ? 0 : liveFailures + 1;
                        if (liveFailures >= or(liveness.getFailureThreshold(), 3)) {
                            LOG.info("pod {}/{}: liveness probe failed {} times, killing the container", ns, name, liveFailures);
                            terminate(p, pod.getSpec().getTerminationGracePeriodSeconds());
                            return;
                        }
                    }
                    int period = Math.min(readiness == null ? 10 : or(readiness.getPeriodSeconds(), 10),
                            liveness == null ? 10 : or(liveness.getPeriodSeconds(), 10));
                    Thread.sleep(period * 1000L);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (readiness != null || liveness != null) {
            t.start();
        }
        return t;
    }

    private static boolean httpOk(Container c, Probe probe) {
        if (probe.getHttpGet() == null) {
            return true;
        }
        IntOrString port = probe.getHttpGet().getPort();
        int number = port.getIntVal() != null ? port.getIntVal() : c.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName())).findFirst().orElseThrow().getContainerPort();
        try {
            HttpURLConnection conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + number + probe.getHttpGet().getPath())
                    .toURL().openConnection();
            conn.setConnectTimeout(1000 * or(probe.getTimeoutSeconds(), 1));
            conn.setReadTimeout(1000 * or(probe.getTimeoutSeconds(), 1));
            int code = conn.getResponseCode();
            conn.disconnect();
            return code >= 200 && code < 400;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the container as a crash would (SIGKILL); the pod then fails or restarts per its policy. */
    void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    /** True the first time only: the delete is handled once, whatever number of update events follow it. */
    boolean markStopping() {
        return stopping.compareAndSet(false, true);
    }

    /**
     * The node is gone with the pod (the machine powered off): the process dies at once and nothing
     * more is written, so the pod keeps its last status until the control plane acts on the node.
     */
    void vanish() {
        status.vanish();
        stopped = true;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    boolean hasUnsentStatus() {
        return status.hasUnsent();
    }

    String nodeName() {
        return node.getMetadata().getName();
    }

    /** The pod is being deleted: SIGTERM, then SIGKILL after the grace period, and no restart. */
    void stop(long graceSeconds) {
        stopped = true;
        Process p = process;
        if (p != null) {
            terminate(p, graceSeconds);
        }
    }

    /** As a kubelet kills a container: SIGTERM, and SIGKILL if it is still there after the grace period. */
    private static void terminate(Process p, Long graceSeconds) {
        p.destroy();
        try {
            long grace = graceSeconds == null ? 30 : graceSeconds;
            if (!p.waitFor(Math.max(1, Math.min(grace, 30)), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean is(String namespace, String podName) {
        return ns.equals(namespace) && name.equals(podName);
    }

    boolean startsWith(String namespace, String prefix) {
        return ns.equals(namespace) && name.startsWith(prefix);
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    private static Map<String, Object> waiting(String reason, String message) {
        return Map.of("waiting", Map.of("reason", reason, "message", message));
    }

    private void writeStatus(String phase, Map<String, Object> state, boolean isReady) {
        status.write(phase, state, isReady, restarts, lastTerminated);
    }

    /** Sends the status the API server has not taken yet: the kubelet's resync calls it. */
    void sendStatus() {
        status.send();
    }

    private static int or(Integer v, int d) {
        return v == null ? d : v;
    }

    private static String now() {
        return PodStatusReport.now();
    }
}
