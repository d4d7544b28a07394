package io.dataparallel.operator.reconciler;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What every step's unit test starts from: a fresh {@link StepHarness} per test, closed after it. */
abstract class StepTest {
    @TempDir
    Path tmp;
    StepHarness h;

    @BeforeEach
    void startHarness() {
        h = new StepHarness(tmp);
    }

    @AfterEach
    void stopHarness() {
        h.close();
    }
}
