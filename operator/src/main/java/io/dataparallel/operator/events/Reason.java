package io.dataparallel.operator.events;

/** Event reasons: a closed set, so alerts and dashboards can rely on them. */
public enum Reason {
    InvalidSpec, Profiling, ProfilingFailed, Sized, SizingInfeasible, Planned, PlanFailed, StoreUnavailable,
    WorkersStarted, Suspended, Resumed, SpecChangeRefused, WorkersFinished, WorkersFailed, WorkersTimedOut,
    WorkersUnschedulable, WorkersStuckTerminating, Summarizing, SummarizerFailed, Succeeded, Failed
}
