package io.dataparallel.operator.reconciler;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.JobMetrics;
import io.dataparallel.api.status.Reason;
import io.dataparallel.core.s3.StoreUnavailableException;
import io.dataparallel.core.summary.StatusOf;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;

/**
 * While workers run: partitions done, samples per second and the ETA from the workers' progress
 * files ({@link ProgressTracker}), into status and the Progressing condition.
 */
final class ProgressStatus {
    private ProgressStatus() {
    }

    static void record(JobRun run, Plan plan, Job workers) {
        Optional<ProgressTracker.Snapshot> snapshot;
        try {
            snapshot = run.progress.poll(run.job, plan, run.output(), new HashSet<>(JobStatuses.completedRanks(workers)),
                    run.stores, run.config.pollInterval());
        } catch (StoreUnavailableException | BadInputException e) {
            return; // progress is informational; the workers themselves report store problems
        }
        if (snapshot.isEmpty()) {
            return;
        }
        ProgressTracker.Snapshot p = snapshot.get();
        StatusDraft s = run.status;
        String started = s.get().startTime();
        double seconds = started == null ? 0 : Duration.between(Instant.parse(started), Instant.now()).toMillis() / 1000.0;
        int left = plan.partitionCount() - p.partitionsDone();
        String progress = StatusOf.progress(p.partitionsDone(), plan);
        s.set(x -> x.withPartitionsDone(p.partitionsDone()).withProgress(progress)
                .withMetrics(JobMetrics.running(p.samplesDone(), seconds > 0 ? p.computedSamples() / seconds : 0))
                .withEta(p.partitionsDone() > 0 && left > 0 && seconds > 0 ? Math.round(seconds / p.partitionsDone() * left) : null));
        s.condition(ConditionType.Progressing, true, Reason.WorkersRunning, progress + " partitions done", run.generation());
    }
}
