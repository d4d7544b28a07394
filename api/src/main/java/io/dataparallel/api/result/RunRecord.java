package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One run of a job (one {@code dataparallel run}, one InferenceJob applied): what it computed
 * and what it cost. {@code summary.json} keeps this run's and those of the earlier runs whose
 * predictions the job still counts, so a rerun that resumes adds to the job's record rather than
 * replacing it, and the job's cost is what every one of its runs billed.
 *
 * @param planHash           the run's plan
 * @param provenance         what its predictions were computed with (model and names): runs of another model under
 *                           the same output are another job's, and leave the record
 * @param workers            ranks in its plan
 * @param startedMs          its first worker's start, epoch ms; 0 when no worker ran
 * @param finishedMs         its last worker's end, epoch ms; 0 when no worker ran
 * @param seconds            wall time from its first worker's start to its last worker's end
 * @param partitionsComputed partitions it computed (the others were done earlier)
 * @param computedSamples    samples it computed
 * @param cost               what it used and, where the node pool's prices are known, what it billed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(String planHash, String provenance, int workers, long startedMs, long finishedMs, double seconds,
                        int partitionsComputed, long computedSamples, Cost cost) {

    /** This run with {@code value} as its cost (the operator adds the billed amounts). */
    public RunRecord withCost(Cost value) {
        return new RunRecord(planHash, provenance, workers, startedMs, finishedMs, seconds, partitionsComputed, computedSamples, value);
    }

    /** Whether it left anything in the job's record: work computed, or pods billed. */
    public boolean didAnything() {
        return computedSamples > 0 || partitionsComputed > 0 || (cost != null && cost.podSeconds() > 0);
    }
}
