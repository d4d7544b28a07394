package io.dataparallel.operator.events;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.Timestamps;
import io.dataparallel.api.status.Reason;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events on the InferenceJob ({@code kubectl describe ij}). An Event's name derives from
 * the job, reason and message, so the same event again (even from a restarted operator)
 * bumps the existing one's count instead of adding a copy. Events are sent in order from a
 * thread of their own, as client-go's recorder does: a reconcile pass does not wait on them,
 * so under a burst the requests that move jobs forward are not queued behind courtesy ones.
 * If the API server falls far behind, events beyond {@link #QUEUE} waiting are dropped. The
 * event that ends a job is the exception: it is sent at once, before the status that ends it.
 */
public final class EventRecorder implements AutoCloseable {
    static final int QUEUE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private final KubernetesClient client;
    /** Package-private: a test holds it busy. */
    final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE), DaemonThreads.named("event-recorder"), (r, pool) -> LOG.warn("{} events waiting to be sent: dropping one", QUEUE));

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(InferenceJob job, Reason reason, String message) {
        send(job, "Normal", reason, message);
    }

    public void warning(InferenceJob job, Reason reason, String message) {
        send(job, "Warning", reason, message);
    }

    /**
     * As {@link #normal}, sent on the calling thread before it returns: for the event that ends a job. Sent before
     * the status that says the job ended, it is never lost to an operator killed between the two: the restarted one
     * finds the job not yet ended, ends it again and sends the event again, which, having the same name, counts as a
     * repeat. It does not wait in the queue: under a burst the queue holds minutes of courtesy events, and an ending
     * event left there was lost to a kill minutes later (a 1,000-job run with two kills ended a job Succeeded with no
     * Succeeded event, twice: first sent after the status, then queued behind 10 s of backlog). Its timestamp, like
     * every event's, is when it happened, so the queued events of the same job still read in order.
     */
    public void normalBeforeStatus(InferenceJob job, Reason reason, String message) {
        emit(job, "Normal", reason, message, Timestamps.now());
    }

    /** As {@link #normalBeforeStatus}, a Warning: for a job that fails. */
    public void warningBeforeStatus(InferenceJob job, Reason reason, String message) {
        emit(job, "Warning", reason, message, Timestamps.now());
    }

    private void send(InferenceJob job, String type, Reason reason, String message) {
        if (!sender.isShutdown()) {
            String when = Timestamps.now(); // when it happened, not when the queue got to it
            sender.execute(() -> emit(job, type, reason, message, when));
        }
    }


    /** Sends what is queued (for a few seconds at most), then stops. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void emit(InferenceJob job, String type, Reason reason, String message, String now) {
        String namespace = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName() + "." + hash(job.getMetadata().getUid() + reason + message);
        try {
            // most events are new: create first, and count a repeat only when the name is taken
            try {
                client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .withNewInvolvedObject().withApiVersion(InferenceJob.API_VERSION).withKind("InferenceJob")
                        .withName(job.getMetadata().getName()).withNamespace(namespace).withUid(job.getMetadata().getUid())
                        .endInvolvedObject()
                        .withType(type).withReason(reason.name()).withMessage(message)
                        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                        .withNewSource().withComponent("dataparallel-operator").endSource()
                        .build()).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            // a repeat: bump count and lastTimestamp with a merge patch (the chart grants create, get, patch)
            Event current = client.v1().events().inNamespace(namespace).withName(name).get();
            if (current != null) {
                int count = current.getCount() == null ? 2 : current.getCount() + 1;
                client.v1().events().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
            }
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
