package io.dataparallel.api.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dataparallel.api.result.IsoTime;

/**
 * The content of {@code _job.json} under {@code spec.output.uri}: the job that owns the
 * output. Written once by the planner with a conditional PUT; any other job finding it
 * refuses to write there, so outputs are never overwritten by a different job.
 *
 * @param namespace the owner's namespace
 * @param name      the owner's name
 * @param uid       the owner's uid when it claimed the output (informational)
 * @param planHash  the hash of the plan it was claimed with
 * @param claimedMs  when, epoch ms
 * @param provenance what the predictions under the output are computed with; null in files
 *                   written before it was recorded
 */
public record OutputOwner(String namespace, String name, String uid, String planHash, long claimedMs, Provenance provenance) {

    /** When claimed, as ISO-8601 text beside the epoch milliseconds. */
    @JsonProperty(value = "claimedAt", access = JsonProperty.Access.READ_ONLY)
    public String claimedAt() {
        return IsoTime.of(claimedMs);
    }
    /** The owner as a job reference. */
    public JobRef job() {
        return new JobRef(namespace, name, uid);
    }
}
