package io.dataparallel.operator.reconciler;

/**
 * A child the job must create (its plan ConfigMap, worker, summarizer or profiling Job) has its
 * name taken by an object this job does not control. Children are named after the job, so an
 * InferenceJob deleted and applied again under the same name meets its earlier incarnation's
 * children until the garbage collector has deleted them ({@code earlierJob}): the job waits for
 * that instead of adopting them (an earlier plan, a Job running the earlier spec). Anything else
 * holding the name is not the operator's to take or delete: the job fails, saying so.
 */
final class ChildNameTakenException extends RuntimeException {
    private final boolean earlierJob;

    ChildNameTakenException(String message, boolean earlierJob) {
        super(message);
        this.earlierJob = earlierJob;
    }

    /** Whether the name is held by a child of an earlier InferenceJob of this name (it goes by itself). */
    boolean earlierJob() {
        return earlierJob;
    }
}
