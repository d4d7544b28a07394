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
    /**
     * Command: profile the plan's model on its first partition (start-up to first batch, download
     * rate, samples/s at a few batch sizes and thread counts) and write {@code profile.json} to
     * {@link #PROFILE_OUT}: what sizing from {@code spec.deadline} or {@code spec.budget} fits.
     */
    public static final String PROFILE = "profile";
    /** Every command the worker image takes, in the order its usage line lists them. */
    public static final java.util.List<String> COMMANDS = java.util.List.of(WORKER, SUMMARIZER, WARMUP, SLOT, PROFILE);

    /** This worker's rank, {@code 0..WORLD_SIZE-1}. */
    public static final String RANK = "RANK";
    /** Kubernetes' own name for the rank in an Indexed Job; read when {@link #RANK} is absent. */
    public static final String COMPLETION_INDEX = "JOB_COMPLETION_INDEX";
    /** The number of ranks; must match the plan. */
    public static final String WORLD_SIZE = "WORLD_SIZE";
    /** The plan file; {@link #DEFAULT_PLAN} when absent. */
    public static final String PLAN = "DATAPARALLEL_PLAN";
    /**
     * The uid of the InferenceJob the pod runs for. A job deleted and applied again under the same name has a plan
     * ConfigMap of the same name, and a kubelet may mount the earlier one's from its cache for a while: a pod reads the
     * plan until it is this job's ({@code plan.job().uid()}).
     */
    public static final String JOB_UID = "DATAPARALLEL_JOB_UID";
    /** Set to {@code true} on the summarizer when the workers were stopped at spec.timeout: its verdict says so. */
    public static final String WORKERS_TIMED_OUT = "DATAPARALLEL_WORKERS_TIMED_OUT";
    /** Intra-op threads; when absent, the CPUs the process may use. */
    public static final String THREADS = "DATAPARALLEL_THREADS";
    /** {@code false} runs download, compute and upload one after another (for comparison); default true. */
    public static final String OVERLAP = "DATAPARALLEL_OVERLAP";
    /** Where partitions and the model are downloaded: the JVM's own temp-folder variable. */
    public static final String TMPDIR = "TMPDIR";
    /** {@code false} lets DJL download natives: only image builds that fetch GPU libtorch set it. */
    public static final String OFFLINE = "DATAPARALLEL_OFFLINE";
    /**
     * glibc's malloc settings, read when the process starts: every worker process runs with
     * {@link #ALLOCATOR_SETTINGS} in it (the worker images' ENV; local mode and the benchmarks set
     * it on the processes they start).
     */
    public static final String ALLOCATOR = "GLIBC_TUNABLES";
    /**
     * Keep freed memory in the process. libtorch allocates every activation afresh on each forward; with glibc's
     * defaults the larger ones (over 128 KiB, then over a threshold that moves) are mapped and unmapped per call,
     * and freed heap tops are given back, so each batch touches new pages that the kernel must fault in and zero:
     * 200 to 400 minor faults per sample on the ResNet-like model, whose forward ran at 437 samples/s with them and 721
     * without on 2 cores (bench/analysis.md section 9). Allocations up to 32 MiB come from the heap, a heap is trimmed only
     * past 2 GiB of free top, and grows by 64 MiB at a time: the pages of one batch are reused by the next
     * (under 0.1 faults per sample). The resident memory stays at the process's peak, which a memory limit counts
     * anyway.
     */
    public static final String ALLOCATOR_SETTINGS =
            "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483648:glibc.malloc.top_pad=67108864";
    /**
     * The JVM options of every worker process (the images' ENTRYPOINT, local mode's slots, the benchmarks'
     * workers). C1 only: start-up is a large part of a short run and C2 compiling the S3 client, Jackson and DJL
     * competes with the compute threads for the same cores, while the hot loop is libtorch's native code, which no
     * JIT touches. The serial collector: a worker is one busy thread and two I/O threads.
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /**
     * Where the worker images keep their class-data archive: the image build runs {@link #WARMUP} (a small job
     * whole) with {@link #writeClassData} and every pod maps it with {@link #classData}. A worker JVM otherwise
     * spends over a second of its start reading and verifying some 6,000 classes (AWS SDK, Jackson, DJL) from
     * jars; mapped from the archive, they are there at once (bench/analysis.md section 10).
     */
    public static final String IMAGE_CLASS_DATA = "/app/worker.jsa";

    /**
     * The options that map the class-data archive at {@code archive}. {@code -Xshare:auto}: an archive that
     * is missing or was written for other jars is skipped with a warning, and the JVM loads from the jars as
     * before. JVM warnings go to stderr: a local slot's stdout is its protocol.
     */
    public static List<String> classData(String archive) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:disable", "-Xlog:all=warning:stderr");
    }

    /** The options with which {@link #WARMUP} writes the archive at {@code archive} when its JVM exits. */
    public static List<String> writeClassData(String archive) {
        return List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:disable", "-Xlog:all=error:stderr");
    }

    /** {@link #PROFILE}: where profile.json goes, an {@code s3://} URI in the job's store or a file path. */
    public static final String PROFILE_OUT = "DATAPARALLEL_PROFILE_OUT";
    /** {@link #PROFILE}: batch sizes to measure, comma-separated; default the spec's batch size and a few around it. */
    public static final String PROFILE_BATCH_SIZES = "DATAPARALLEL_PROFILE_BATCH_SIZES";
    /** {@link #PROFILE}: thread counts to measure, comma-separated; default 1, 2, 4, … up to {@link #THREADS}. */
    public static final String PROFILE_THREADS = "DATAPARALLEL_PROFILE_THREADS";
    /** {@link #PROFILE}: the node pool the profile is valid for (the profile's key); default {@code spec.nodePool}. */
    public static final String NODE_POOL = "DATAPARALLEL_NODE_POOL";
    /** {@link #PROFILE}: the machine kind the profile is valid for; default the processor model and CPU count. */
    public static final String MACHINE = "DATAPARALLEL_MACHINE";

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
