package io.dataparallel.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process-kubelet pod's status as a kubelet's status manager writes it: phase, conditions and the
 * container's state as one strategic merge patch, the latest kept until the API server took it
 * (a status lost while the API server restarts would leave the Job controller waiting), and nothing
 * more once the node vanished with the pod.
 */
final class PodStatusReport {
    private static final Logger LOG = LoggerFactory.getLogger(PodStatusReport.class);
    private final KubernetesClient client;
    private final Pod pod;
    private final String ns;
    private final String name;
    private final String started = now();
    /** The node went away with the pod: nothing is written for it any more, as no kubelet is left to write. */
    private boolean vanished;
    /** The last status patch, kept while the API server did not take it (down, restarting), and sent again. */
    private String unsent;

    PodStatusReport(KubernetesClient client, Pod pod) {
        this.client = client;
        this.pod = pod;
        this.ns = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
    }

    /** A strategic merge patch of status: conditions merge by type, so the scheduler's and others' stay. */
    synchronized void write(String phase, Map<String, Object> state, boolean isReady, int restarts, Map<String, Object> lastTerminated) {
        if (vanished) {
            return;
        }
        Container c = pod.getSpec().getContainers().get(0);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        status.put("hostIP", "127.0.0.1");
        status.put("podIP", "127.0.0.1");
        status.put("podIPs", List.of(Map.of("ip", "127.0.0.1")));
        status.put("startTime", started);
        String t = now();
        boolean running = "Running".equals(phase);
        String readyStatus = running && isReady ? "True" : "False";
        status.put("conditions", List.of(
                Map.of("type", "Initialized", "status", "True", "lastTransitionTime", started),
                Map.of("type", "ContainersReady", "status", readyStatus, "lastTransitionTime", t),
                Map.of("type", "Ready", "status", readyStatus, "lastTransitionTime", t)));
        if (state != null || running) {
            Map<String, Object> cs = new LinkedHashMap<>();
            cs.put("name", c.getName());
            cs.put("image", c.getImage());
            cs.put("imageID", "");
            cs.put("ready", running && isReady);
            cs.put("started", running);
            cs.put("restartCount", restarts);
            if (state != null) {
                cs.put("state", state);
            }
            if (lastTerminated != null) {
                cs.put("lastState", lastTerminated);
            }
            status.put("containerStatuses", List.of(cs));
        }
        unsent = Serialization.asJson(Map.of("status", status));
        send();
    }

    /**
     * Sends the status not yet taken, as a kubelet's status manager keeps the latest status and
     * syncs it until the API server has it: a status lost while the API server restarts would leave
     * the Job controller waiting for a pod that finished long ago. Called again by the kubelet's resync.
     */
    synchronized void send() {
        if (unsent == null || vanished) {
            return;
        }
        try {
            client.pods().inNamespace(ns).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), unsent);
            unsent = null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                unsent = null; // the pod is gone: nothing left to tell
            } else {
                LOG.debug("pod {}/{}: status not written, kept to send again: {}", ns, name, e.toString());
            }
        } catch (RuntimeException e) {
            LOG.debug("pod {}/{}: status not written, kept to send again: {}", ns, name, e.toString());
        }
    }

    synchronized boolean hasUnsent() {
        return unsent != null && !vanished;
    }

    /** The node is gone with the pod: nothing more is written. */
    synchronized void vanish() {
        vanished = true;
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
