package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 18: {@code spec.timeout} becomes the worker Job's activeDeadlineSeconds, the
 * real Job controller stops the workers at it, and the job fails saying so, with what finished
 * before it kept; a timeout that is not a duration is refused by the API server at apply.
 */
class TimeoutE2eTest {
    @Test
    void workersPastTheTimeoutAreStoppedAndTheJobFailsNamingSpecTimeout() {
        // one worker over 6 x 3000 samples (369 MB) needs 3.4 s of its own after JVM and libtorch
        // start-up (measured 12-03): at 4 s the faster worker once finished inside the deadline
        E2e.Ran ran = E2e.run("timeout", "slow", 6, 3000, 1, "timeout: 2s");
        InferenceJob job = ran.job();
        assertEquals(Phase.Failed, ran.phase(), () -> "status: " + job.getStatus());
        assertTrue(job.getStatus().message().contains("spec.timeout (2s)"), job.getStatus().message());
        Job workers = E2e.admin().batch().v1().jobs().inNamespace(ran.namespace()).withName(job.getStatus().workerJob()).get();
        assertEquals(2L, workers.getSpec().getActiveDeadlineSeconds());
        assertTrue(workers.getStatus().getConditions().stream().anyMatch(c -> "Failed".equals(c.getType())
                && "DeadlineExceeded".equals(c.getReason())), () -> "the Job controller stopped it: " + workers.getStatus());
        assertTrue(E2e.admin().v1().events().inNamespace(ran.namespace()).list().getItems().stream()
                .anyMatch(e -> "WorkersTimedOut".equals(e.getReason())), "a WorkersTimedOut Event");
        assertTrue(job.getStatus().completionTime() != null, "the job is finished, not left running");
    }

    @Test
    void aTimeoutThatIsNotADurationIsRefusedAtApply() {
        String ns = E2e.namespace("badtimeout");
        Tools.Result applied = E2e.kubectl(List.of("apply", "-f", E2e.write(E2e.manifest(ns, "bad", "e2e", ns, 1, "timeout: 90 minutes"))));
        assertNotEquals(0, applied.exitCode(), applied.output());
        assertTrue(applied.output().contains("spec.timeout"), applied.output());
        assertTrue(E2e.get(ns, "bad") == null, "nothing was created");
    }
}
