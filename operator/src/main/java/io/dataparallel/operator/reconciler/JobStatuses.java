package io.dataparallel.operator.reconciler;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.ArrayList;
import java.util.List;

/** Reading a batch/v1 Job's status the way the Job controller writes it. */
final class JobStatuses {
    private JobStatuses() {
    }

    static boolean hasCondition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return false;
        }
        for (JobCondition c : job.getStatus().getConditions()) {
            if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    /** Every index has finished: the Job is Complete or Failed. */
    static boolean finished(Job job) {
        return hasCondition(job, "Complete") || hasCondition(job, "Failed");
    }

    /** The Job controller stopped the Job at spec.activeDeadlineSeconds. */
    static boolean timedOut(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()) && "DeadlineExceeded".equals(c.getReason()));
    }

    static String failedReason(Job job) {
        for (JobCondition c : job.getStatus().getConditions()) {
            if ("Failed".equals(c.getType()) && "True".equals(c.getStatus())) {
                return c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
            }
        }
        return "";
    }

    /**
     * The worker Job's completion index is the worker's rank (RANK = JOB_COMPLETION_INDEX), so
     * its completed and failed indexes are the ranks that finished and failed.
     */
    static List<Integer> completedRanks(Job job) {
        return job.getStatus() == null ? List.of() : indexes(job.getStatus().getCompletedIndexes());
    }

    /** See {@link #completedRanks}: index = rank. */
    static List<Integer> failedRanks(Job job) {
        return job.getStatus() == null ? List.of() : indexes(job.getStatus().getFailedIndexes());
    }

    /** Parses the Job controller's interval notation, e.g. {@code 0-3,5,7-8}. */
    static List<Integer> indexes(String text) {
        List<Integer> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash < 0) {
                out.add(Integer.parseInt(p));
            } else {
                for (int i = Integer.parseInt(p.substring(0, dash)); i <= Integer.parseInt(p.substring(dash + 1)); i++) {
                    out.add(i);
                }
            }
        }
        return out;
    }
}
