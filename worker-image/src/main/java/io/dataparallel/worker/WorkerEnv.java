package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerLaunch;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a worker pod is given, read from its environment: RANK (or the Indexed Job's
 * JOB_COMPLETION_INDEX), WORLD_SIZE, where the plan is mounted, a writable temp folder and
 * the intra-op thread count, by the names of {@link WorkerLaunch}. Credentials stay in
 * {@link #env()} for the S3 client and are never logged.
 *
 * @param rank      this worker's rank
 * @param worldSize the number of ranks
 * @param plan      the plan file (the mounted ConfigMap)
 * @param tempDir   where partitions and the model are downloaded (an emptyDir on a cluster)
 * @param threads   intra-op threads: DATAPARALLEL_THREADS, else the CPUs this process may use
 * @param overlap   download the next partition and upload the last while computing (DATAPARALLEL_OVERLAP,
 *                  default true; false runs download, compute, upload one after another, for comparison)
 * @param yieldCore while the next partition downloads, compute with one intra-op thread fewer
 *                  ({@value #YIELD_CORE}=true; off by default: an experiment of bench/analysis.md §8)
 * @param env       the whole environment
 */
public record WorkerEnv(int rank, int worldSize, Path plan, Path tempDir, int threads, boolean overlap, boolean yieldCore,
                        Map<String, String> env) {
    /** The experiment's switch: one compute thread fewer while a download is in flight (one replica only). */
    public static final String YIELD_CORE = "DATAPARALLEL_YIELD_CORE";

    /** Reads the environment; a missing or malformed RANK or WORLD_SIZE is a bad input. */
    public static WorkerEnv from(Map<String, String> env) {
        String rankText = env.getOrDefault(WorkerLaunch.RANK, env.get(WorkerLaunch.COMPLETION_INDEX));
        int rank = number(rankText, WorkerLaunch.RANK, "set RANK (or JOB_COMPLETION_INDEX) to this worker's index, 0..WORLD_SIZE-1");
        int worldSize = number(env.get(WorkerLaunch.WORLD_SIZE), WorkerLaunch.WORLD_SIZE, "set WORLD_SIZE to the number of workers");
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new BadInputException(WorkerLaunch.RANK,
                    "is " + rank + " with WORLD_SIZE " + worldSize + ": RANK must be in 0.." + (worldSize - 1));
        }
        Path plan = Path.of(env.getOrDefault(WorkerLaunch.PLAN, WorkerLaunch.DEFAULT_PLAN));
        Path temp = Path.of(env.getOrDefault(WorkerLaunch.TMPDIR, System.getProperty("java.io.tmpdir")));
        int threads = env.containsKey(WorkerLaunch.THREADS)
                ? number(env.get(WorkerLaunch.THREADS), WorkerLaunch.THREADS, "set it to a positive number of intra-op threads")
                : Runtime.getRuntime().availableProcessors(); // follows the cgroup CPU quota on JDK 17
        boolean overlap = !"false".equalsIgnoreCase(env.getOrDefault(WorkerLaunch.OVERLAP, "true").trim());
        boolean yieldCore = "true".equalsIgnoreCase(env.getOrDefault(YIELD_CORE, "false").trim());
        return new WorkerEnv(rank, worldSize, plan, temp, Math.max(1, threads), overlap, yieldCore, env);
    }

    private static int number(String text, String name, String fix) {
        if (text == null || text.isBlank()) {
            throw new BadInputException(name, "is not set: " + fix);
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(name, "'" + text + "' is not a number: " + fix);
        }
    }
}
