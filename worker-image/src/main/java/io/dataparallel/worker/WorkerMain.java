package io.dataparallel.worker;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.core.Json;
import io.dataparallel.core.model.ModelFormat;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import io.dataparallel.core.s3.StoreUnavailableException;
import io.dataparallel.core.summary.FailureGroups;
import io.dataparallel.core.summary.Summarizer;
import io.dataparallel.worker.profile.ProfileCommand;
import io.dataparallel.worker.warmup.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker image's entry point. {@code worker} (the default) runs one rank;
 * {@code summarizer} runs the summarizer; {@code warmup} loads the engine (image builds);
 * {@code slot} runs ranks one after another for the local pool ({@link Slot}). The
 * exit code is a {@link WorkerExit}, the contract with the Job's podFailurePolicy: bad input
 * fails the index, anything else but success is retried. Every failure is one log line that
 * names the field and the fix; no stack trace.
 */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    /**
     * How a command ended.
     *
     * @param exitCode its {@link WorkerExit} code
     * @param error    the one line logged about the failure, null when it succeeded
     */
    record Ending(int exitCode, String error) {
        static final Ending OK = new Ending(WorkerExit.OK.code(), null);
    }

    private WorkerMain() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? WorkerLaunch.WORKER : args[0];
        long started = ManagementFactory.getRuntimeMXBean().getStartTime(); // JVM start: end to end includes it
        if (WorkerLaunch.SLOT.equals(command)) {
            System.exit(new Slot(System.getenv(), started).serve(System.in, System.out));
        }
        System.exit(run(command, System.getenv(), started));
    }

    /** Runs {@code command} with {@code env} as the process environment; returns the exit code. */
    public static int run(String command, Map<String, String> env, long startedMs) {
        try (ModelCache models = ModelCache.forOneRank()) {
            return run(command, env, startedMs, models).exitCode();
        }
    }

    /**
     * Runs {@code command}; a {@code worker} computes with the model {@code models} holds (a
     * slot's, kept from its previous rank) or loads it there.
     */
    static Ending run(String command, Map<String, String> env, long startedMs, ModelCache models) {
        try {
            switch (command) {
                case WorkerLaunch.WORKER -> runWorker(env, startedMs, models);
                case WorkerLaunch.SUMMARIZER -> runSummarizer(env);
                case WorkerLaunch.WARMUP -> warmup(env, startedMs);
                case WorkerLaunch.PROFILE -> ProfileCommand.run(env, startedMs);
                default -> throw new BadInputException("command", "'" + command + "' is not a command: use one of "
                        + String.join(", ", WorkerLaunch.COMMANDS));
            }
            return Ending.OK;
        } catch (BadInputException e) {
            return failed(WorkerExit.BAD_INPUT, "bad input, not retrying: " + e.getMessage());
        } catch (StoreUnavailableException e) {
            return failed(WorkerExit.RETRY, "store unavailable, will be retried: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.debug("failure detail", e);
            return failed(WorkerExit.RETRY, "failed, will be retried: " + ModelRunner.firstLine(e));
        }
    }

    /** The failure's one line: logged, and reported by a slot (the local pool shows it per rank). */
    private static Ending failed(WorkerExit exit, String error) {
        LOG.error("{}", error);
        return new Ending(exit.code(), error);
    }

    private static void runWorker(Map<String, String> env, long startedMs, ModelCache models) {
        WorkerEnv we = WorkerEnv.from(env);
        Plan plan = PlanMount.read(we.plan(), env);
        if (plan.worldSize() != we.worldSize()) {
            throw new BadInputException(WorkerLaunch.WORLD_SIZE, "is " + we.worldSize() + " but the plan has " + plan.worldSize()
                    + " ranks: run the Job with completions = parallelism = " + plan.worldSize());
        }
        DjlSetup.configure(we.threads(), env);
        DjlSetup.loadEngineInBackground(plan.model() == null ? null : ModelFormat.ofTitle(plan.model().format()));
        try (ObjectStore store = new ObjectStore(S3Clients.create(plan.spec().s3OrDefault(), env))) {
            RankResult result = new Worker(plan, we.rank(), store, we.tempDir(), we.threads(), we.overlap(), startedMs, models)
                    .yieldingCoreToDownloads(we.yieldCore()).run();
            if (!result.failedPartitions().isEmpty()) {
                // the good partitions are written; BAD_INPUT still fails the index, so the job counts this worker failed
                int failed = result.failedPartitions().size();
                int others = plan.partitionsOf(we.rank()).size() - failed;
                throw new BadInputException("partitions", failed + " of " + (failed + others) + " failed on their own input"
                        + (others > 0 ? " (the other " + others + " are done)" : "") + ": " + FailureGroups.message(result.failedPartitions()));
            }
        }
    }

    private static void runSummarizer(Map<String, String> env) {
        Plan plan = PlanMount.read(env);
        try (ObjectStore store = new ObjectStore(S3Clients.create(plan.spec().s3OrDefault(), env))) {
            Summary summary = new Summarizer(store).summarize(plan, null, "true".equals(env.get(WorkerLaunch.WORKERS_TIMED_OUT)));
            LOG.info("summary: {}", new String(Json.write(summary), StandardCharsets.UTF_8));
        }
    }

    /**
     * Loads the PyTorch engine once so its natives land in DJL_CACHE_DIR, then runs a small job
     * whole ({@link TrainingRun}): image builds run it, so pods start without extracting (CPU) or
     * downloading (GPU) anything, and with the classes a pod loads in the image's class-data archive.
     */
    private static void warmup(Map<String, String> env, long startedMs) {
        DjlSetup.configure(1, env);
        Engine engine = Engine.getEngine("PyTorch");
        LOG.info("PyTorch {} ready; {} GPU(s) visible", engine.getVersion(), engine.getGpuCount());
        LOG.info("ONNX Runtime {} ready (natives from {})", OrtEnvironment.getEnvironment().getVersion(),
                System.getProperty("onnxruntime.native.path", "its jar"));
        Path temp = null;
        try (ModelCache models = ModelCache.forOneRank()) {
            temp = Files.createTempDirectory(Path.of(env.getOrDefault(WorkerLaunch.TMPDIR, System.getProperty("java.io.tmpdir"))), "warmup");
            TrainingRun.run(temp, (command, jobEnv) -> {
                Ending end = run(command, jobEnv, startedMs, models);
                if (end.exitCode() != WorkerExit.OK.code()) {
                    throw new IllegalStateException("the warmup job's " + command + " failed: " + end.error());
                }
            });
            LOG.info("warmup job done: plan, one rank and its summary");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(temp);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover folder in the temp folder is harmless
        }
    }
}
