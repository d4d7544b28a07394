package io.dataparallel.api.status;

/**
 * Where an InferenceJob is in its life. {@code Sizing} comes only with spec.deadline or spec.budget: the
 * profiling Job runs and the operator chooses what the user left to it, before planning. Each phase, what it
 * means and what to do: docs/status.md ({@code StatusDocTest} keeps it complete).
 */
public enum Phase {
    Pending, Sizing, Planning, Running, Summarizing, Succeeded, Failed, Suspended;

    /** True once nothing more will happen. */
    public boolean isFinal() {
        return this == Succeeded || this == Failed;
    }
}
