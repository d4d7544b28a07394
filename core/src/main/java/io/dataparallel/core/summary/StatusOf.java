package io.dataparallel.core.summary;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.RunRecord;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.JobMetrics;

/**
 * The status a job's plan and summary give, in one place for the operator and local mode, so
 * that {@code kubectl get} and {@code dataparallel run} print the same figures: each function
 * takes the status so far and returns it with what that stage knows. Conditions, Events and the
 * Kubernetes objects' names are the operator's own and stay there.
 */
public final class StatusOf {
    private StatusOf() {
    }

    /** After planning: the plan's size, and the partitions an earlier run already computed as done. */
    public static InferenceJobStatus planned(InferenceJobStatus status, Plan plan, String outputUri) {
        int done = plan.resumed().size();
        return status.with(s -> s.partitions(plan.partitionCount()).bytes(plan.totalBytes()).workers(plan.worldSize())
                .partitionsDone(done).progress(progress(done, plan)).outputUri(outputUri));
    }

    /**
     * After the summarizer: the job's figures and failed partitions from {@code summary}, no ETA,
     * and a sized job's prediction beside what happened.
     */
    public static InferenceJobStatus summarized(InferenceJobStatus status, Plan plan, Summary summary) {
        InferenceJobStatus s = status;
        if (s.sizing() != null) { // the sizing predicted this run, not the job's earlier ones
            RunRecord run = summary.thisRun();
            Cost cost = run == null ? summary.cost() : run.cost();
            Double billed = cost == null ? null : cost.billed();
            s = s.withSizing(s.sizing().withActual(Math.round((run == null ? summary.seconds() : run.seconds()) * 10) / 10.0,
                    billed == null ? null : Math.round(billed * 1e6) / 1e6));
        }
        return s.with(b -> b.metrics(JobMetrics.of(summary)).partitionsDone(summary.partitionsDone())
                .progress(progress(summary.partitionsDone(), plan))
                .failedPartitions(InferenceJobStatus.listed(summary.failedPartitions()))
                .failedPartitionCount(InferenceJobStatus.count(summary.failedPartitions())).eta(null));
    }

    /** The job's end as {@code verdict} says, completed at {@code now} unless an earlier pass recorded when. */
    public static InferenceJobStatus ended(InferenceJobStatus status, Verdict verdict, String now) {
        return status.with(s -> s.phase(verdict.phase()).message(verdict.message())
                .completionTime(status.completionTime() == null ? now : status.completionTime()));
    }

    /** "done/total", as {@code kubectl get inferencejobs} shows progress. */
    public static String progress(int done, Plan plan) {
        return done + "/" + plan.partitionCount();
    }
}
