package io.dataparallel.operator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Reason;
import io.dataparallel.operator.harness.MockCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The event that ends a job is on the API server when the call returns, and sending it again counts a repeat. */
class EventRecorderTest {
    @Test
    void anEndingEventIsSentBeforeTheCallReturnsAndAgainCountsARepeat() {
        try (MockCluster cluster = new MockCluster(); EventRecorder events = new EventRecorder(cluster.client())) {
            cluster.createNamespace("ns");
            InferenceJob job = new InferenceJob();
            job.setMetadata(new ObjectMetaBuilder().withName("j").withNamespace("ns").withUid("uid-1").build());
            events.normal(job, Reason.Summarizing, "summarizing"); // queued first: sent before the ending one
            events.normalBeforeStatus(job, Reason.Succeeded, "all 3 partitions done");
            List<Event> sent = cluster.client().v1().events().inNamespace("ns").list().getItems();
            assertEquals(List.of("Succeeded", "Summarizing"), sent.stream().map(Event::getReason).sorted().toList());

            // an operator killed after the event and before the status ends the job again after its restart
            events.normalBeforeStatus(job, Reason.Succeeded, "all 3 partitions done");
            List<Event> again = cluster.client().v1().events().inNamespace("ns").list().getItems();
            assertEquals(2, again.size(), "the same event is not copied");
            assertEquals(2, again.stream().filter(e -> "Succeeded".equals(e.getReason())).findFirst().orElseThrow().getCount());
        }
    }

    @Test
    void anEndingEventDoesNotWaitBehindABackloggedQueue() throws Exception {
        try (MockCluster cluster = new MockCluster(); EventRecorder events = new EventRecorder(cluster.client())) {
            cluster.createNamespace("ns");
            InferenceJob job = new InferenceJob();
            job.setMetadata(new ObjectMetaBuilder().withName("j").withNamespace("ns").withUid("uid-2").build());
            // a burst's backlog: the sender is busy for as long as this test holds it
            CountDownLatch held = new CountDownLatch(1);
            events.sender.execute(() -> {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            events.normal(job, Reason.Summarizing, "summarizing");
            events.warningBeforeStatus(job, Reason.MaxFailedWorkersExceeded, "2 of 3 partitions failed");
            List<Event> sent = cluster.client().v1().events().inNamespace("ns").list().getItems();
            assertEquals(List.of("MaxFailedWorkersExceeded"), sent.stream().map(Event::getReason).toList(),
                    "the ending event is on the API server while the queue is still held");
            String failedAt = sent.get(0).getLastTimestamp();
            held.countDown();
            events.close(); // sends what is queued
            Event summarizing = cluster.client().v1().events().inNamespace("ns").list().getItems().stream()
                    .filter(e -> "Summarizing".equals(e.getReason())).findFirst().orElseThrow();
            assertTrue(summarizing.getLastTimestamp().compareTo(failedAt) <= 0,
                    "a queued event keeps the time it happened, before the ending one: " + summarizing.getLastTimestamp());
        }
    }
}
