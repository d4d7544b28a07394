package io.dataparallel.operator.events;

import io.dataparallel.api.InferenceJob;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events on the InferenceJob ({@code kubectl describe ij}). An Event's name derives from
 * the job, reason and message, so the same event again (even from a restarted operator)
 * bumps the existing one's count instead of adding a copy. Events are sent in order from a
 * thread of their own, as client-go's recorder does: a reconcile pass does not wait on them,
 * so under a burst the requests that move jobs forward are not queued behind courtesy ones.
 * If the API server falls far behind, events beyond {@link #QUEUE} waiting are dropped.
 */
public final class EventRecorder implements AutoCloseable {
    static final int QUEUE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private final KubernetesClient client;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "event-recorder");
                t.setDaemon(true);
                return t;
            }, (r, pool) -> LOG.warn("{} events waiting to be sent: dropping one", QUEUE));

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
     * As {@link #normal}, and waits until it is sent (at most {@link #END_WAIT}), with every event queued before it:
     * for the event that ends a job. Sent before the status that says the job ended, it is never lost to an operator
     * killed between the two: the restarted one finds the job not yet ended, ends it again and sends the event again,
     * which, having the same name, counts as a repeat. Sent after it, it was (a 1,000-job run with the operator
     * killed twice ended one job Succeeded with no Succeeded event).
     */
    public void normalBeforeStatus(InferenceJob job, Reason reason, String message) {
        sendAndWait(job, "Normal", reason, message);
    }

    /** As {@link #normalBeforeStatus}, a Warning: for a job that fails. */
    public void warningBeforeStatus(InferenceJob job, Reason reason, String message) {
        sendAndWait(job, "Warning", reason, message);
    }

    /** How long ending a job waits for its event: past it (an API server far behind) the event is left to the queue. */
    static final Duration END_WAIT = Duration.ofSeconds(10);

    private void send(InferenceJob job, String type, Reason reason, String message) {
        if (!sender.isShutdown()) {
            sender.execute(() -> emit(job, type, reason, message));
        }
    }

    private void sendAndWait(InferenceJob job, String type, Reason reason, String message) {
        if (sender.isShutdown()) {
            return;
        }
        FutureTask<Void> task = new FutureTask<>(() -> emit(job, type, reason, message), null);
        sender.execute(task);
        try {
            task.get(END_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("event {} on {}/{} not sent within {} s; left queued", reason, job.getMetadata().getNamespace(),
                    job.getMetadata().getName(), END_WAIT.toSeconds());
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

    private void emit(InferenceJob job, String type, Reason reason, String message) {
        String namespace = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName() + "." + hash(job.getMetadata().getUid() + reason + message);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
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
