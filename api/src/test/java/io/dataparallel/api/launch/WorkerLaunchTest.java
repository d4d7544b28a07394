package io.dataparallel.api.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Launchers and the worker share these constants, so a changed value would still agree with
 * itself; these names are also what users put in Secrets and scripts and what the README lists.
 */
class WorkerLaunchTest {
    @Test
    void theNamesUsersRelyOnStayAsTheReadmeListsThem() {
        assertEquals(List.of("RANK", "JOB_COMPLETION_INDEX", "WORLD_SIZE", "DATAPARALLEL_PLAN", "DATAPARALLEL_THREADS",
                        "DATAPARALLEL_OVERLAP", "TMPDIR", "DATAPARALLEL_OFFLINE"),
                List.of(WorkerLaunch.RANK, WorkerLaunch.COMPLETION_INDEX, WorkerLaunch.WORLD_SIZE, WorkerLaunch.PLAN,
                        WorkerLaunch.THREADS, WorkerLaunch.OVERLAP, WorkerLaunch.TMPDIR, WorkerLaunch.OFFLINE));
        assertEquals(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"), WorkerLaunch.CREDENTIAL_KEYS);
        assertEquals(List.of("worker", "summarizer", "warmup", "slot"),
                List.of(WorkerLaunch.WORKER, WorkerLaunch.SUMMARIZER, WorkerLaunch.WARMUP, WorkerLaunch.SLOT));
    }

    @Test
    void theDefaultPlanIsTheConfigMapKeyInTheMountedFolder() {
        assertEquals("/etc/dataparallel/plan/plan.json.gz", WorkerLaunch.DEFAULT_PLAN);
    }
}
