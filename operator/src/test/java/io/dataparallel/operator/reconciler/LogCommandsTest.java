package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogCommandsTest {
    static final Job WORKERS = new JobBuilder().withNewMetadata().withName("astro-workers").endMetadata().build();

    @Test
    void theLowestFailedRanksLatestPodIsNamedReadyToPaste() {
        List<Pod> pods = List.of(pod("astro-workers-1-aaaaa", 1, "2026-12-07T09:00:00Z"),
                pod("astro-workers-1-bbbbb", 1, "2026-12-07T09:01:00Z"), pod("astro-workers-3-ccccc", 3, "2026-12-07T08:00:00Z"));
        assertEquals(Optional.of("rank 1's log: kubectl logs -n team-a astro-workers-1-bbbbb"),
                LogCommands.failedWorker("team-a", WORKERS, pods, List.of(3, 1)), "the retry's pod: the latest failure");
    }

    @Test
    void aRankWhosePodIsGoneIsSelectedByTheJobsLabels() {
        assertEquals(Optional.of("rank 2's log: kubectl logs -n ns -l batch.kubernetes.io/job-name=astro-workers,"
                + "batch.kubernetes.io/job-completion-index=2"), LogCommands.failedWorker("ns", WORKERS, List.of(), List.of(2)));
        assertEquals(Optional.empty(), LogCommands.failedWorker("ns", WORKERS, List.of(), List.of()));
    }

    @Test
    void aOnePodJobsLogIsTheJobs() {
        assertEquals("kubectl logs -n ns job/astro-summarizer", LogCommands.job("ns", "astro-summarizer"));
    }

    private static Pod pod(String name, int rank, String created) {
        return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(created)
                .addToLabels(WorkerPods.INDEX_LABEL, Integer.toString(rank)).endMetadata().build();
    }
}
