package io.dataparallel.api.launch;

import java.util.List;

/**
 * How a worker process is started: the one contract between whatever launches workers (the
 * operator's Jobs, the local pool of {@code dataparallel run}, benchmarks, test harnesses) and the
 * worker image's entry point. Launchers and the worker name the same variables through these
 * constants, so neither side can drift from the other; the names themselves are public (README,
 * user Secrets) and must not change. How a worker ends is {@link WorkerExit}.
 */
public final class WorkerLaunch {
    /** Command: run one rank of the plan (the default when no command is given). */
    public static final String WORKER = "worker";
    /** Command: combine the rank results of the plan into the job's summary. */
    public static final String SUMMARIZER = "summarizer";
    /** Command: load the PyTorch engine once so an image build caches its natives. */
    public static final String WARMUP = "warmup";
    /**
     * Command: run ranks one after another in one process, loading libtorch and the model once
     * (local mode's worker processes). Rank numbers come on standard input, one a line; after
     * each rank the process prints a {@link RankExit} line; end of input ends it. Not used on a
     * cluster, where a pod is one rank.
     */
    public static final String SLOT = "slot";

    /** This worker's rank, {@code 0..WORLD_SIZE-1}. */
    public static final String RANK = "RANK";
    /** Kubernetes' own name for the rank in an Indexed Job; read when {@link #RANK} is absent. */
    public static final String COMPLETION_INDEX = "JOB_COMPLETION_INDEX";
    /** The number of ranks; must match the plan. */
    public static final String WORLD_SIZE = "WORLD_SIZE";
    /** The plan file; {@link #DEFAULT_PLAN} when absent. */
    public static final String PLAN = "DATAPARALLEL_PLAN";
    /** Intra-op threads; when absent, the CPUs the process may use. */
    /** Set to {@code true} on the summarizer when the workers were stopped at spec.timeout: its verdict says so. */
    public static final String WORKERS_TIMED_OUT = "DATAPARALLEL_WORKERS_TIMED_OUT";
    public static final String THREADS = "DATAPARALLEL_THREADS";
    /** {@code false} runs download, compute and upload one after another (for comparison); default true. */
    public static final String OVERLAP = "DATAPARALLEL_OVERLAP";
    /** Where partitions and the model are downloaded: the JVM's own temp-folder variable. */
    public static final String TMPDIR = "TMPDIR";
    /** {@code false} lets DJL download natives: only image builds that fetch GPU libtorch set it. */
    public static final String OFFLINE = "DATAPARALLEL_OFFLINE";

    /** Where a pod mounts the plan's ConfigMap. */
    public static final String PLAN_DIR = "/etc/dataparallel/plan";
    /** The plan's file name: its key in the ConfigMap, hence its name in {@link #PLAN_DIR}. */
    public static final String PLAN_FILE = "plan.json.gz";
    /** The plan a worker reads when {@link #PLAN} is not set. */
    public static final String DEFAULT_PLAN = PLAN_DIR + "/" + PLAN_FILE;

    /**
     * S3 credentials: the AWS SDK's standard variables, which are also the keys of the Secret
     * named by {@code spec.s3.credentialsSecret}, so the operator maps each key to the variable of
     * the same name. When they are absent the worker uses the AWS default chain.
     */
    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    /** See {@link #ACCESS_KEY_ID}. */
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    /** Optional: only temporary credentials have one. */
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    /** Every credential key, the required ones first. */
    public static final List<String> CREDENTIAL_KEYS = List.of(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);

    private WorkerLaunch() {
    }
}
