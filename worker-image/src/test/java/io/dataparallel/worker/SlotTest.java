package io.dataparallel.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.RankExit;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.core.testing.S3Fixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code slot} command: ranks one after another in one process, the model kept loaded, its ETag checked per rank. */
class SlotTest {
    @TempDir
    Path tmp;

    @Test
    void ranksRunOneAfterAnotherWithTheModelKeptAndAChangedModelIsRefused() throws Exception {
        Path examples = S3Fixture.repoRoot().resolve("examples");
        try (S3Fixture s3 = S3Fixture.withExample(tmp.resolve("store"), 3)) {
            JobHarness harness = new JobHarness(s3, Files.createDirectories(tmp.resolve("work")));
            Plan plan = harness.plan(JobHarness.JOB, JobHarness.spec(s3, S3Fixture.EXAMPLE_MODEL,
                    S3Fixture.EXAMPLE_INPUTS, S3Fixture.EXAMPLE_OUTPUTS, S3Fixture.EXAMPLE_DATA, null, S3Fixture.EXAMPLE_OUTPUT, 3, 16));
            Map<String, String> env = harness.env(harness.writePlan(plan), 0, 3);
            env.remove(WorkerLaunch.COMPLETION_INDEX); // a slot is given its ranks on its input

            PipedOutputStream ranks = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(ranks);
            PipedInputStream reports = new PipedInputStream();
            PrintStream out = new PrintStream(new PipedOutputStream(reports), true, StandardCharsets.UTF_8);
            BufferedReader lines = new BufferedReader(new InputStreamReader(reports, StandardCharsets.UTF_8));
            long processStarted = System.currentTimeMillis();
            CompletableFuture<Integer> slot = CompletableFuture.supplyAsync(() -> new Slot(env, processStarted).serve(in, out));

            ranks.write("0\n1\n".getBytes(StandardCharsets.US_ASCII));
            ranks.flush();
            assertEquals(new RankExit(0, 0, null), RankExit.parse(lines.readLine()).orElseThrow());
            assertEquals(new RankExit(1, 0, null), RankExit.parse(lines.readLine()).orElseThrow());

            // another model under the planned URI: the kept one must not be used for the next rank
            s3.put(S3Fixture.EXAMPLE_MODEL, examples.resolve("models/toy-classifier.pt"));
            ranks.write("2\n".getBytes(StandardCharsets.US_ASCII));
            ranks.close();
            RankExit refused = RankExit.parse(lines.readLine()).orElseThrow();
            assertEquals(2, refused.rank());
            assertEquals(3, refused.exitCode());
            assertTrue(refused.error().contains("spec.model.uri: s3://models/astro/redshift.pt changed since the job was planned"),
                    refused.error());
            assertEquals(0, slot.get(1, TimeUnit.MINUTES), "end of input ends the slot");

            RankResult first = harness.rankResult(plan, 0);
            RankResult second = harness.rankResult(plan, 1);
            assertEquals(processStarted, first.startedMs(), "the first rank counts from the process's start");
            assertTrue(second.startedMs() >= first.finishedMs(), "the second from when it was read");
            // that the model stayed loaded is checked from the workers' logs (WorkerPoolTest), not by timing: timings are noisy
        }
    }
}
