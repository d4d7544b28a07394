package io.dataparallel.e2e;

import io.dataparallel.core.concurrent.DaemonThreads;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet of the harness's nodes, and nothing else: it runs a pod only once the
 * scheduler has bound it to one of them ({@code spec.nodeName}), so node selectors, taints and
 * extended resources are decided by the real scheduler. On deletion it stops the process and
 * removes the pod, as a kubelet confirms a graceful delete.
 *
 * <p>Each pod has a folder (its volumes, its remapped {@code /tmp} with the worker's downloads, its
 * container log). As a kubelet removes a pod's volumes, the folder goes once the pod object is
 * deleted and its process has ended; a finished pod keeps it until then, as a kubelet keeps its
 * logs. When the kubelet stops, every pod folder goes, unless {@code keepFolders} (for debugging).
 */
final class ProcessKubelet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessKubelet.class);
    private final KubernetesClient client;
    private final Map<String, Node> nodes;
    private final Images images;
    private final Path podsDir;
    private final Path caCert;
    private final int apiPort;
    private final boolean keepFolders;
    private final Map<String, PodRun> runs = new ConcurrentHashMap<>();
    /** Nodes whose machine went away ({@link #loseNode}): no kubelet acts for their pods any more. */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kubelet-status-resync"));
    private final ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.named("kubelet-pod"));
    private SharedIndexInformer<Pod> informer;

    ProcessKubelet(KubernetesClient client, Map<String, Node> nodes, Images images, Path podsDir, Path caCert, int apiPort,
                   boolean keepFolders) {
        this.client = client;
        this.nodes = nodes;
        this.images = images;
        this.podsDir = podsDir;
        this.caCert = caCert;
        this.apiPort = apiPort;
        this.keepFolders = keepFolders;
    }

    ProcessKubelet start() {
        informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                sync(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                sync(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                PodRun run = runs.remove(pod.getMetadata().getUid());
                if (run != null) {
                    executor.submit(() -> {
                        run.stop(0);
                        removeFolder(run);
                    });
                }
            }
        }, 0);
        // a status the API server did not take (it was restarting) is sent again, as the status manager syncs
        resync.scheduleWithFixedDelay(() -> runs.values().forEach(PodRun::sendStatus), 5, 5, TimeUnit.SECONDS);
        return this;
    }

    private void sync(Pod pod) {
        Node node = pod.getSpec().getNodeName() == null ? null : nodes.get(pod.getSpec().getNodeName());
        if (node == null || lost.contains(node.getMetadata().getName())) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            PodRun run = runs.get(uid);
            if (run != null && !run.markStopping()) {
                return;
            }
            long grace = pod.getMetadata().getDeletionGracePeriodSeconds() == null ? 30
                    : pod.getMetadata().getDeletionGracePeriodSeconds();
            executor.submit(() -> terminate(pod, run, grace));
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase) || runs.containsKey(uid)) {
            return;
        }
        try {
            Path dir = Files.createDirectories(podsDir.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName()
                    + "_" + uid));
            PodRun run = new PodRun(client, pod, node, images, dir, caCert, apiPort);
            if (runs.putIfAbsent(uid, run) == null) {
                LOG.info("running pod {}/{} on {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                        node.getMetadata().getName());
                executor.submit(run);
            }
        } catch (IOException e) {
            LOG.warn("cannot make the folder of pod {}: {}", pod.getMetadata().getName(), e.toString());
        }
    }

    /**
     * A graceful delete as a kubelet carries it out: SIGTERM, SIGKILL after the grace period, the
     * terminal phase written (Failed unless the container exited 0; the conditions others set, such
     * as DisruptionTarget from an eviction, kept by the merge), and only then the object removed, so
     * the Job controller's podFailurePolicy sees how the pod ended.
     */
    private void terminate(Pod pod, PodRun run, long grace) {
        if (run != null) {
            run.stop(grace);
            try {
                if (!run.awaitEnd(60)) {
                    LOG.warn("pod {}: its process has not ended after the grace period", pod.getMetadata().getName());
                }
                for (int i = 0; i < 120 && run.hasUnsentStatus(); i++) {
                    Thread.sleep(500);
                    run.sendStatus();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            // the kubelet's confirmation of a graceful delete: remove the object now
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (RuntimeException e) {
            LOG.debug("pod {} already gone: {}", pod.getMetadata().getName(), e.toString());
        }
    }

    /** The pod object is gone: once its process has ended, nothing needs its volumes or its log. */
    private void removeFolder(PodRun run) {
        try {
            if (!run.awaitEnd(60)) {
                LOG.warn("pod folder {} kept: its process has not ended", run.dir());
                return;
            }
            if (!keepFolders) {
                ControlPlane.deleteTree(run.dir());
            }
        } catch (IOException e) {
            LOG.warn("cannot remove pod folder {}: {}", run.dir(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The node's machine goes away: its pods' processes die at once and nothing more is written
     * for them or for the node's pods to come; what happens next is the control plane's doing.
     */
    void loseNode(String nodeName) {
        lost.add(nodeName);
        for (PodRun run : runs.values()) {
            if (run.nodeName().equals(nodeName)) {
                run.vanish();
            }
        }
    }

    /** SIGKILLs the container of a running pod, as a crash would. */
    boolean kill(String namespace, String podName) {
        for (PodRun run : runs.values()) {
            if (run.is(namespace, podName) && run.alive()) {
                run.kill();
                return true;
            }
        }
        return false;
    }

    /** The pid of the running container of a pod whose name starts with {@code podPrefix}; -1 if none. */
    long pid(String namespace, String podPrefix) {
        for (PodRun run : runs.values()) {
            if (run.startsWith(namespace, podPrefix) && run.alive()) {
                return run.pid();
            }
        }
        return -1;
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        resync.shutdownNow();
        runs.values().parallelStream().forEach(r -> r.stop(0));
        try {
            for (PodRun run : runs.values()) {
                run.awaitEnd(30);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runs.clear();
        executor.shutdownNow();
        if (keepFolders) {
            LOG.info("pod folders kept in {}", podsDir);
            return;
        }
        try {
            ControlPlane.deleteTree(podsDir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", podsDir, e.toString());
        }
    }
}
