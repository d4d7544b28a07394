package io.dataparallel.core.manifest;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.spec.InferenceJobSpec;

/**
 * An InferenceJob manifest as read from a file: who the job is and what it asks for.
 *
 * @param job  namespace (default {@code default}) and name
 * @param spec the spec, not yet validated
 */
public record Manifest(JobRef job, InferenceJobSpec spec) {
}
