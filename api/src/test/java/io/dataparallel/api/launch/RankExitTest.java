package io.dataparallel.api.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The line a slot process reports a rank's end on, as the local pool reads it back. */
class RankExitTest {
    @Test
    void aLineReadsBackAsWhatWasWritten() {
        RankExit failed = new RankExit(7, 3, "partitions: 1 of 2 failed\non their own input");
        assertEquals("##dataparallel rank-exit 7 3 partitions: 1 of 2 failed on their own input", failed.line());
        assertEquals(Optional.of(new RankExit(7, 3, "partitions: 1 of 2 failed on their own input")), RankExit.parse(failed.line()));
        assertEquals(Optional.of(new RankExit(0, 0, null)), RankExit.parse(new RankExit(0, 0, null).line()));
    }

    @Test
    void logLinesAndDamagedLinesAreNotRankExits() {
        assertTrue(RankExit.parse("12:00:01.000 INFO  Worker - rank 1/4: 2 partitions").isEmpty());
        assertTrue(RankExit.parse("##dataparallel rank-exit x 1").isEmpty());
        assertTrue(RankExit.parse("##dataparallel rank-exit 3").isEmpty());
    }
}
