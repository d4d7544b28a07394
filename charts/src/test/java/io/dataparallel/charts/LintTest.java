package io.dataparallel.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** helm lint --strict turns warnings into failures. */
class LintTest {
    @Test
    void defaultValues() {
        assertClean(Helm.run("lint", "--strict", Helm.CHART.toString()));
    }

    @Test
    void customValues() {
        assertClean(Helm.run("lint", "--strict", Helm.CHART.toString(), "--values", CustomValuesTest.valuesFile().toString()));
    }

    private static void assertClean(Helm.Result result) {
        assertEquals(0, result.exitCode(), result::output);
        assertFalse(result.output().contains("[WARNING]") || result.output().contains("[ERROR]"), result::output);
    }
}
