package io.dataparallel.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reading a Job's status as the Job controller writes it: the index interval notation and the finishing conditions. */
class JobStatusesTest {
    @Test
    void indexesParseTheIntervalNotation() {
        assertEquals(List.of(0, 1, 2, 3, 7), JobStatuses.indexes("0-3,7"));
        assertEquals(List.of(0, 1, 2, 3, 5, 7, 8), JobStatuses.indexes("0-3,5,7-8"));
        assertEquals(List.of(5), JobStatuses.indexes("5"));
        assertEquals(List.of(4), JobStatuses.indexes("4-4"));
        assertEquals(List.of(1, 3, 4), JobStatuses.indexes(" 1 , 3-4 "));
        assertEquals(IntStream.range(0, 10_000).boxed().toList(), JobStatuses.indexes("0-9999"));
    }

    @Test
    void noIndexesWhenTheFieldIsEmptyOrAbsent() {
        assertEquals(List.of(), JobStatuses.indexes(null));
        assertEquals(List.of(), JobStatuses.indexes(""));
        assertEquals(List.of(), JobStatuses.indexes("  "));
        Job fresh = new JobBuilder().withNewMetadata().withName("w").endMetadata().build();
        assertEquals(List.of(), JobStatuses.completedRanks(fresh));
        assertEquals(List.of(), JobStatuses.failedRanks(fresh));
    }

    @Test
    void completedAndFailedIndexesComeFromTheirOwnFields() {
        Job job = job(List.of(), "0-2,5", "3");
        assertEquals(List.of(0, 1, 2, 5), JobStatuses.completedRanks(job));
        assertEquals(List.of(3), JobStatuses.failedRanks(job));
    }

    @Test
    void aJobHasFinishedWhenCompleteOrFailedIsTrue() {
        assertFalse(JobStatuses.finished(new JobBuilder().build()), "no status yet");
        assertFalse(JobStatuses.finished(job(List.of(), null, null)), "no conditions yet");
        assertFalse(JobStatuses.finished(job(List.of(condition("FailureTarget", "True", "FailedIndexes", null)), null, "1")),
                "FailureTarget comes before Failed: pods may still be terminating");
        assertFalse(JobStatuses.finished(job(List.of(condition("Complete", "False", null, null)), null, null)));
        assertTrue(JobStatuses.finished(job(List.of(condition("Complete", "True", null, null)), "0-1", null)));
        assertTrue(JobStatuses.finished(job(List.of(condition("Failed", "True", "BackoffLimitExceeded", null)), null, "0")));
        assertTrue(JobStatuses.hasCondition(job(List.of(condition("Suspended", "True", null, null)), null, null), "Suspended"));
    }

    @Test
    void theFailedReasonIsTheFailedConditionsReasonAndMessage() {
        assertEquals("MaxFailedIndexesExceeded", JobStatuses.failedReason(job(List.of(
                condition("FailureTarget", "True", "Other", "not this one"),
                condition("Failed", "True", "MaxFailedIndexesExceeded", null)), null, "0")));
        assertEquals("DeadlineExceeded: Job was active longer than specified deadline", JobStatuses.failedReason(job(List.of(
                condition("Failed", "True", "DeadlineExceeded", "Job was active longer than specified deadline")), null, null)));
        assertEquals("", JobStatuses.failedReason(job(List.of(condition("Complete", "True", null, null)), "0", null)));
    }

    private static Job job(List<JobCondition> conditions, String completed, String failed) {
        return new JobBuilder().withNewMetadata().withName("w").endMetadata()
                .withNewStatus().withConditions(conditions).withCompletedIndexes(completed).withFailedIndexes(failed).endStatus()
                .build();
    }

    private static JobCondition condition(String type, String status, String reason, String message) {
        return new JobConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
    }
}
