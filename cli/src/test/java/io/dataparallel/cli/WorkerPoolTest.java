package io.dataparallel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.result.RankResult;
import io.dataparallel.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode's worker processes ("slots") with the real worker: several ranks per process with
 * one model load, a rank that fails on bad input failing alone, a killed process replaced and its
 * rank retried, and the same predictions as one process per rank.
 */
class WorkerPoolTest {
    @TempDir
    Path tmp;

    private static final String SPEC = """
            model: {uri: s3://models/astro/%1$s.pt, inputs: [images, magnitudes], outputs: [redshift_pred]}
            data: {uri: s3://cosmicai-data/%1$s/}
            output: {uri: s3://cosmicai-data/results/%1$s/}
            batchSize: 8
            workers: %2$d
            """;

    /** A job of {@code workers} ranks over as many example partitions, in this test's store. */
    private Path job(String name, int workers) throws Exception {
        Path manifest = Files.writeString(tmp.resolve(name + ".yaml"), CliTest.job(name, SPEC.formatted(name, workers)));
        CliTest.Result seeded = CliTest.cli("example", manifest.toString(), "--store", store().toString(),
                "--partitions", Integer.toString(workers), "--samples", "20");
        assertEquals(0, seeded.code(), seeded.out());
        return manifest;
    }

    private Path store() {
        return tmp.resolve("store");
    }

    private CliTest.Result run(Path manifest, String... options) {
        List<String> args = new ArrayList<>(List.of("run", manifest.toString(), "--store", store().toString()));
        args.addAll(List.of(options));
        return CliTest.cli(args.toArray(String[]::new));
    }

    private static String log(String job, int rank) throws Exception {
        return Files.readString(Path.of(".dataparallel", "runs", "default-" + job, "rank-" + rank + ".log"));
    }

    private RankResult rankResult(String job, int rank) throws Exception {
        return Json.read(Files.readAllBytes(store().resolve("cosmicai-data/results/" + job + "/ranks/" + rank + ".json")), RankResult.class);
    }

    private byte[] prediction(String job, int partition) throws Exception {
        return Files.readAllBytes(store().resolve("cosmicai-data/results/" + job + "/predictions/partition-0000" + partition + ".npz"));
    }

    @Test
    void oneProcessRunsRankAfterRankWithOneModelLoadAndTheSamePredictions() throws Exception {
        Path m = job("slots-one", 3);
        CliTest.Result r = run(m, "--parallel", "1", "--threads", "1");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("progress: 3/3"), r.out());
        assertTrue(log("slots-one", 0).contains("loaded"), log("slots-one", 0));
        for (int rank = 1; rank < 3; rank++) {
            String log = log("slots-one", rank);
            assertTrue(log.contains("still loaded from this process's previous rank"), log);
            assertTrue(log.contains("rank " + rank + "/3:"), "each rank's own lines in its own log:\n" + log);
            RankResult later = rankResult("slots-one", rank);
            RankResult before = rankResult("slots-one", rank - 1);
            // a later rank starts when its slot takes it, after the one before: no start-up in its end to end
            assertTrue(later.startedMs() >= before.finishedMs(), later.startedMs() + " < " + before.finishedMs());
        }
        byte[][] shared = {prediction("slots-one", 0), prediction("slots-one", 1), prediction("slots-one", 2)};

        // one process per rank, as before slots (and as pods): the same predictions, each process loading its own model
        CliTest.Result apart = run(m, "--parallel", "3", "--threads", "1", "--restart");
        assertEquals(0, apart.code(), apart.out());
        for (int rank = 0; rank < 3; rank++) {
            assertFalse(log("slots-one", rank).contains("still loaded"), log("slots-one", rank));
            assertArrayEquals(shared[rank], prediction("slots-one", rank));
        }
    }

    @Test
    void aRankWithBadInputFailsAloneAndItsProcessGoesOnWithTheNext() throws Exception {
        Path m = job("slots-bad", 3);
        Path partition = store().resolve("cosmicai-data/slots-bad/partition-00001.npz");
        Files.delete(partition);
        Files.writeString(partition, "not an npz file");
        CliTest.Result r = run(m, "--parallel", "1");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("worker 1 failed (exit 3 after 1 attempts): bad input, not retrying: partitions:"), r.out());
        assertFalse(r.out().contains("worker 0 failed") || r.out().contains("worker 2 failed"), r.out());
        assertTrue(log("slots-bad", 2).contains("still loaded from this process's previous rank"), log("slots-bad", 2));
        assertTrue(Files.exists(store().resolve("cosmicai-data/results/slots-bad/predictions/partition-00002.npz")));
        assertTrue(r.out().contains("logs:        "), r.out());
    }

    @Test
    void aKilledWorkerProcessIsReplacedAndItsRankRetried() throws Exception {
        Path m = job("slots-kill", 2);
        Path logs = Path.of(".dataparallel", "runs", "default-slots-kill").toAbsolutePath();
        Files.createDirectories(logs);
        for (int rank = 0; rank < 2; rank++) {
            Files.deleteIfExists(logs.resolve("rank-" + rank + ".log"));
        }
        CompletableFuture<CliTest.Result> running = CompletableFuture.supplyAsync(() -> run(m, "--parallel", "1"));
        // as the OOM killer would: SIGKILL, mid-rank (the rank has logged its start; its model is still loading)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(logs.resolve("rank-0.log")) || !Files.readString(logs.resolve("rank-0.log")).contains("rank 0/2:")) {
            assertTrue(System.nanoTime() < until, "rank 0 never started");
            Thread.sleep(20);
        }
        // the run is in this JVM, so its only child JVMs are the worker processes (their long classpath hides the arguments)
        List<ProcessHandle> slots = ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).toList();
        assertEquals(1, slots.size(), "one worker process with --parallel 1");
        slots.get(0).destroyForcibly();

        CliTest.Result r = running.get(5, TimeUnit.MINUTES);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("phase: Succeeded"), r.out());
        // the killed rank ran again in a new process: three rank starts in all for two ranks
        int starts = log("slots-kill", 0).split("rank 0/2: ", -1).length - 1 + log("slots-kill", 1).split("rank 1/2: ", -1).length - 1;
        assertEquals(3, starts, log("slots-kill", 0) + log("slots-kill", 1));
    }

    @Test
    void aPlanWithNoRanksLeftStartsNoProcess() throws Exception {
        assertEquals(List.of(), new WorkerPool(Integer.MAX_VALUE).run(0, 2, 2, Map.of(), tmp, null));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no worker log: no worker started");
        }
    }
}
