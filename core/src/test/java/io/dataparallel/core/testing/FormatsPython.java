package io.dataparallel.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Python readers of the formats (pyarrow, pandas, h5py …) for tests that check our files with them: the venv of
 * bench/python/formats-venv.sh, which makes it when it is missing (a minute, once), so such a test fails without
 * pyarrow rather than passing unchecked.
 */
public final class FormatsPython {
    /** Reads each {@code <name>.parquet} of a folder with pyarrow and pandas and compares it with {@code <name>.ref.npz}. */
    public static final Path PARQUET_CHECKER = S3Fixture.repoRoot().resolve("core/src/test/python/check_parquet_predictions.py");

    private FormatsPython() {
    }

    /** The venv's python. */
    public static String python() throws IOException, InterruptedException {
        Path script = S3Fixture.repoRoot().resolve("bench/python/formats-venv.sh");
        Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "formats-venv.sh did not finish");
        assertEquals(0, p.exitValue(), "formats-venv.sh could not make the venv with pyarrow and pandas: " + out);
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }

    /** Runs {@link #PARQUET_CHECKER} over {@code folder}; fails on any difference; returns its lines ({@code ok <file>: …}). */
    public static List<String> checkParquet(Path folder) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python(), PARQUET_CHECKER.toString(), folder.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the checker did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
