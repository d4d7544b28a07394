package io.dataparallel.api.status;

/**
 * Why: the reasons of the job's Events and of its {@link ConditionType conditions}, one closed
 * set, so that alerts and dashboards can rely on them. A Failed condition and its Warning Event
 * carry the same reason; each reason names one case. Documented for users, with what to do, in docs/status.md
 * ({@code StatusDocTest} keeps it complete).
 */
public enum Reason {
    // the job failed, and at which stage
    /** The spec is invalid; the message names each field and the fix. */
    InvalidSpec,
    /** The profiling Job of a sized job failed or wrote no usable profile. */
    ProfilingFailed,
    /** No worker count and size meet spec.deadline or spec.budget. */
    SizingInfeasible,
    /** Planning refused the input or the output (a missing model, an output computed differently). */
    PlanFailed,
    /** The plan ConfigMap was deleted after planning: the plan cannot be recovered. */
    PlanLost,
    /** The summarizer Job failed or wrote no summary. */
    SummarizerFailed,
    /** The workers ran past spec.timeout and what was done is not enough. */
    WorkersTimedOut,
    /**
     * More workers failed than spec.maxFailedWorkers allows (as batch/v1's MaxFailedIndexesExceeded). Named
     * {@code Failed} before, which was also the phase and the condition type and said nothing of why.
     */
    MaxFailedWorkersExceeded,
    /**
     * A child the job creates (its plan ConfigMap or a Job) has its name taken by an object the job does not
     * control: something else's, or an earlier InferenceJob's of the same name the garbage collector left.
     */
    ChildNameTaken,

    // the job's way through its stages
    /** Sizing: listing partitions before profiling. */
    Sizing,
    /** Profiling the model to size the job. */
    Profiling,
    /** The sizing chose workers and their size. */
    Sized,
    /** Listing the partitions. */
    Planning,
    /** The plan is stored. */
    Planned,
    /** The store cannot be reached; planning tries again. */
    StoreUnavailable,
    /** The worker Job was created. */
    WorkersStarted,
    /** Workers are running and partitions are being done. */
    WorkersRunning,
    /** Every worker finished, or none was needed. */
    WorkersFinished,
    /** Some workers failed; the summary decides whether the job still succeeds. */
    WorkersFailed,
    /** The summarizer Job was started. */
    Summarizing,
    /** The job ended with every partition done. */
    Succeeded,
    /** Complete: every partition done. */
    AllPartitionsDone,
    /** Complete although some workers failed, within spec.maxFailedWorkers. */
    PartialSuccess,
    /** Progressing ended because the job did. */
    Finished,

    // suspension
    /** spec.suspend is true: the workers are stopped. */
    Suspended,
    /** The worker Job is suspended by another controller (a queue such as Kueue) until admitted. */
    QueuedExternally,
    /** The workers run again. */
    Resumed,

    // what the operator watches for while workers run
    /** The spec was edited after planning; the job keeps its plan. */
    SpecChangeRefused,
    /** The spec is the planned one again. */
    SpecMatchesPlan,
    /** The spec changed after a failed validation: the job is checked again. */
    SpecChanged,
    /** Worker pods cannot be scheduled. */
    WorkersUnschedulable,
    /** The condition's reason while pods cannot be scheduled. */
    Unschedulable,
    /** The scheduler placed the workers. */
    Scheduled,
    /** Deleted worker pods have not ended past their grace period. */
    WorkersStuckTerminating,
    /** The condition's reason while deleted pods do not end. */
    PodsNotEnding,
    /** The deleted worker pods have ended. */
    PodsEnded
}
