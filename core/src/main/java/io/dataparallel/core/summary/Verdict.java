package io.dataparallel.core.summary;

import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.InferenceJobStatus;
import io.dataparallel.api.status.Phase;
import java.util.List;

/**
 * How a finished job ended, decided in one place so the operator's status and the CLI's
 * agree: Succeeded when every worker finished, a partial success when the workers that
 * failed are within {@code spec.maxFailedWorkers}, Failed when more failed.
 *
 * @param phase   Succeeded or Failed
 * @param partial Succeeded although some workers failed
 * @param message one line for status.message, naming the limit when workers failed
 */
public record Verdict(Phase phase, boolean partial, String message) {

    /**
     * The verdict on {@code summary}, a job run with {@code spec}. When its workers were stopped at
     * {@code spec.timeout}, what finished before it counts as usual, and a Failed message says first
     * why the rest is missing.
     */
    public static Verdict of(Summary summary, InferenceJobSpec spec) {
        Verdict v = counted(summary, spec);
        return v.succeeded() || !summary.workersTimedOut() ? v
                : new Verdict(v.phase, false, timedOut(spec, summary.partitionsDone(), summary.partitions()) + "; " + v.message);
    }

    private static Verdict counted(Summary summary, InferenceJobSpec spec) {
        int failed = summary.failedWorkers().size();
        int allowed = spec.maxFailedWorkersOrDefault();
        if (failed > allowed) {
            return new Verdict(Phase.Failed, false, failed + " of " + summary.workers() + " workers failed, more than spec.maxFailedWorkers ("
                    + allowed + "); " + summary.failedPartitions().size() + " partitions have no prediction (status.failedPartitions lists the first "
                    + InferenceJobStatus.LISTED_FAILED_PARTITIONS + ", summary.json all)" + why(summary));
        }
        if (failed == 0) {
            return new Verdict(Phase.Succeeded, false, allDone(summary));
        }
        return new Verdict(Phase.Succeeded, true, summary.partitionsDone() + "/" + summary.partitions() + " partitions done; "
                + failed + " workers failed, within spec.maxFailedWorkers (" + allowed + ")");
    }

    /** All partitions done, and which run did them: a rerun that had nothing left to compute says so. */
    private static String allDone(Summary s) {
        if (s.partitionsResumed() == 0) {
            return "all " + s.partitions() + " partitions done";
        }
        if (s.partitionsResumed() == s.partitions()) {
            return "all " + s.partitions() + " partitions done earlier; nothing to compute";
        }
        return "all " + s.partitions() + " partitions done: " + (s.partitions() - s.partitionsResumed()) + " computed now, "
                + s.partitionsResumed() + " done earlier";
    }

    /** How many characters of the first reason a message carries: Events and conditions are read, not scrolled. */
    static final int WHY_CHARS = 400;

    /**
     * The first reason the partitions failed, so the message names the field to fix (a bad
     * {@code spec.model.inputs} fails every partition alike) rather than only counting workers.
     */
    private static String why(Summary summary) {
        List<String> reasons = FailureGroups.lines(summary.failedPartitions());
        if (reasons.isEmpty()) {
            return "";
        }
        String first = reasons.get(0);
        first = first.length() > WHY_CHARS ? first.substring(0, WHY_CHARS) + "..." : first;
        return ". Why: " + first + (reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " other reasons)" : "");
    }

    /** One line on workers stopped at {@code spec.timeout}, for an Event while the summary is still to come. */
    public static String timedOut(InferenceJobSpec spec, int partitionsDone, int partitions) {
        return "the workers ran past spec.timeout (" + spec.timeout() + ") and were stopped with " + partitionsDone + " of "
                + partitions + " partitions done";
    }

    public boolean succeeded() {
        return phase == Phase.Succeeded;
    }
}
