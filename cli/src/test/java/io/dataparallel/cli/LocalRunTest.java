package io.dataparallel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataparallel.api.result.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The throughput line a local run ends with: people's units, no float noise. */
class LocalRunTest {
    @Test
    void throughputIsInPeoplesUnits() {
        Summary s = new Summary("default/j", "h", 8192, 8, 8, 0, 4, List.of(), List.of(), false, 156.64399999, 496.605, 8192, 0,
                28.909999999999997, 31.89, 0, 9.10781817E8 * 8, 1.4, 4.8, 5.2, null, null, null);
        assertEquals("throughput:  157 samples/s end to end, 497 samples/s computing, 911 MB/s of input computing"
                + " (8192 samples in 28.9 s)", LocalRun.throughput(s));
    }
}
