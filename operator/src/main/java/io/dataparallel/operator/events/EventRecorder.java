package io.dataparallel.operator.events;

import io.dataparallel.api.InferenceJob;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events on the InferenceJob ({@code kubectl describe ij}). An Event's name derives from
 * the job, reason and message, so the same event again (even from a restarted operator)
 * bumps the existing one's count instead of adding a copy.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(InferenceJob job, Reason reason, String message) {
        emit(job, "Normal", reason, message);
    }

    public void warning(InferenceJob job, Reason reason, String message) {
        emit(job, "Warning", reason, message);
    }

    private void emit(InferenceJob job, String type, Reason reason, String message) {
        String namespace = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName() + "." + hash(job.getMetadata().getUid() + reason + message);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            var existing = client.v1().events().inNamespace(namespace).withName(name);
            Event current = existing.get();
            if (current != null) {
                current.setCount(current.getCount() == null ? 2 : current.getCount() + 1);
                current.setLastTimestamp(now);
                client.v1().events().inNamespace(namespace).resource(current).update();
                return;
            }
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withNewInvolvedObject().withApiVersion(InferenceJob.API_VERSION).withKind("InferenceJob")
                    .withName(job.getMetadata().getName()).withNamespace(namespace).withUid(job.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type).withReason(reason.name()).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("dataparallel-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: never fail a reconcile over one
            LOG.warn("cannot record event {} on {}/{}: {}", reason, namespace, job.getMetadata().getName(), e.getMessage());
        }
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
