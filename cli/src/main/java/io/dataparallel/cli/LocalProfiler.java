package io.dataparallel.cli;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.sizing.Profile;
import io.dataparallel.core.sizing.ProfileKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the worker's {@code profile} command as local mode runs workers: another JVM on this
 * classpath with the plan as a file and the store's environment, its log in the run folder. It
 * measures with up to every core, so nothing else of this job runs meanwhile.
 */
final class LocalProfiler {
    /** A profile computes a few seconds per point: past this something is wrong. */
    private static final long LIMIT_MINUTES = 15;
    /** The batch sizes profiled: the default (512) and a factor of four either side. */
    static final String BATCH_SIZES = "128,512,2048";

    private LocalProfiler() {
    }

    static Profile measure(Plan plan, ProfileKey key, Map<String, String> storeEnv, Path runDir, Path target, int threads)
            throws InterruptedException {
        Path planFile = runDir.resolve("profile-" + WorkerLaunch.PLAN_FILE);
        PlanCodec.write(plan, planFile);
        Path log = runDir.resolve("profile.log");
        Map<String, String> env = new HashMap<>(storeEnv);
        env.put(WorkerLaunch.PLAN, planFile.toString());
        env.put(WorkerLaunch.THREADS, Integer.toString(threads));
        env.put(WorkerLaunch.TMPDIR, runDir.resolve("tmp").toString());
        env.put(WorkerLaunch.ALLOCATOR, WorkerLaunch.ALLOCATOR_SETTINGS); // measured as the workers will run
        env.put(WorkerLaunch.PROFILE_OUT, target.toString());
        env.put(WorkerLaunch.NODE_POOL, key.nodePool());
        env.put(WorkerLaunch.MACHINE, key.machine());
        // always the same sizes (and the spec's own), so a kept profile serves a spec that fixes the batch size and one that does not
        Integer fixed = plan.spec().batchSize();
        env.put(WorkerLaunch.PROFILE_BATCH_SIZES, BATCH_SIZES + (fixed == null ? "" : "," + fixed));
        ProcessBuilder pb = new ProcessBuilder(Java.command("io.dataparallel.worker.WorkerMain", WorkerLaunch.PROFILE));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the profile process", e);
        }
        try {
            if (!process.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("profiling took over " + LIMIT_MINUTES + " minutes: see " + log);
            }
        } catch (InterruptedException e) {
            process.destroy();
            throw e;
        }
        int code = process.exitValue();
        if (code != WorkerExit.OK.code()) {
            String why = lastError(log);
            if (code == WorkerExit.BAD_INPUT.code()) {
                throw new BadInputException("profile", why + " (log " + log + ")");
            }
            throw new IllegalStateException("profiling failed (exit " + code + "): " + why + " (log " + log + ")");
        }
        try {
            return Profile.fromJson(Files.readAllBytes(target));
        } catch (IOException e) {
            throw new UncheckedIOException("the profile process wrote no " + target, e);
        }
    }

    /** The worker logs each failure as one line: the last ERROR line, else the log's last line. */
    private static String lastError(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("ERROR")) {
                    return lines.get(i).replaceFirst("^.*?ERROR\\s+\\S+\\s+-\\s+", "");
                }
            }
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "no log";
        }
    }
}
