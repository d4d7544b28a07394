package io.dataparallel.api.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkerExitTest {
    @Test
    void theCodesThePodFailurePolicyAndTheReadmeName() {
        assertEquals(0, WorkerExit.OK.code());
        assertEquals(1, WorkerExit.RETRY.code());
        assertEquals(3, WorkerExit.BAD_INPUT.code());
        for (WorkerExit e : WorkerExit.values()) {
            assertEquals(e, WorkerExit.of(e.code()));
        }
    }

    @Test
    void anyOtherCodeIsRetried() {
        for (int code : new int[] {2, 4, 137, 143, -1}) {
            assertEquals(WorkerExit.RETRY, WorkerExit.of(code), "exit " + code);
        }
        assertTrue(WorkerExit.RETRY.retryable());
        assertFalse(WorkerExit.OK.retryable());
        assertFalse(WorkerExit.BAD_INPUT.retryable());
    }
}
