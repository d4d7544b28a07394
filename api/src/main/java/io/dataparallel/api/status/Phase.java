package io.dataparallel.api.status;

/** Where an InferenceJob is in its life. */
public enum Phase {
    Pending, Planning, Running, Summarizing, Succeeded, Failed, Suspended;

    /** True once nothing more will happen. */
    public boolean isFinal() {
        return this == Succeeded || this == Failed;
    }
}
