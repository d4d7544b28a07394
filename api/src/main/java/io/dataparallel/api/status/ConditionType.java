package io.dataparallel.api.status;

/**
 * The condition types an InferenceJob's {@code status.conditions} carries: a closed set, so that
 * alerts and {@code kubectl wait --for=condition=…} can rely on them. Each is True, False or
 * absent (not reached yet); its {@code reason} is one of {@link Reason}. Documented for users, with the reasons
 * each carries, in docs/status.md ({@code StatusDocTest} keeps it complete).
 */
public enum ConditionType {
    /** True once the partitions are listed and the plan is stored; False while the store cannot be reached. */
    Planned,
    /** True while the job is sizing, planning or its workers run; False once it ended. */
    Progressing,
    /** True when the job Succeeded: every partition done, or a partial success within spec.maxFailedWorkers. */
    Complete,
    /** True when the job Failed; its reason says which stage failed. */
    Failed,
    /** True while the worker Job is suspended, by spec.suspend or by a queue such as Kueue. */
    Suspended,
    /** True while the spec differs from the one the job was planned with: a planned job runs as planned. */
    SpecChangeRefused,
    /** True while the scheduler cannot place worker pods. */
    WorkersUnschedulable,
    /** True while deleted worker pods do not end (their node is gone). */
    WorkersStuckTerminating
}
