package io.dataparallel.worker.profile;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.Timestamps;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import io.dataparallel.core.sizing.InputShapes;
import io.dataparallel.core.sizing.Machines;
import io.dataparallel.core.sizing.Profile;
import io.dataparallel.core.sizing.ProfileKey;
import io.dataparallel.core.sizing.RatePoint;
import io.dataparallel.worker.DjlSetup;
import io.dataparallel.worker.FirstPartition;
import io.dataparallel.worker.ModelRunner;
import io.dataparallel.worker.PlanMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's {@code profile} command: the real worker's steps on the plan's first partition, timed.
 * Start-up is from the JVM's start to the first batch computed, less the partition's download and that
 * batch's steady-state compute (what remains is what every worker pays once: JVM, S3 client, libtorch,
 * model download and load, the first forward's warm-up). The download rate is the partition's bytes over
 * the time to read and index it. Then samples/s at each batch size and thread count asked for. Writes
 * {@code profile.json} to {@link WorkerLaunch#PROFILE_OUT}.
 */
public final class ProfileCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileCommand.class);
    /** How long each (batch size, threads) point computes. */
    static final double SECONDS_PER_POINT = 1.5;
    private static final List<Integer> AROUND = List.of(128, 512, 2048);

    private ProfileCommand() {
    }

    /** Profiles and writes the profile; returns it. */
    public static Profile run(Map<String, String> env, long startedMs) {
        String out = env.get(WorkerLaunch.PROFILE_OUT);
        if (out == null || out.isBlank()) {
            throw new BadInputException(WorkerLaunch.PROFILE_OUT, "is not set: give an s3:// URI or a file for profile.json");
        }
        int maxThreads = threads(env);
        DjlSetup.configure(maxThreads, env);
        Plan plan = PlanMount.read(env); // this job's, as the workers' (an earlier job's of this name may still be mounted)
        InferenceJobSpec spec = plan.spec();
        try (ObjectStore store = new ObjectStore(S3Clients.create(spec.s3OrDefault(), env))) {
            Path temp = Path.of(env.getOrDefault(WorkerLaunch.TMPDIR, System.getProperty("java.io.tmpdir")));
            S3Uri modelUri = S3Uri.parse("spec.model.uri", spec.model().uri());
            Path modelFile = temp.resolve("profile-model-" + ProcessHandle.current().pid() + ".pt");
            ModelRunner model;
            try {
                Files.createDirectories(temp);
                store.download(modelUri, modelFile, "spec.model.uri");
                model = ModelRunner.load(modelFile, spec.model(), spec.deviceOrDefault() == Device.gpu, modelUri.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                modelFile.toFile().delete();
            }
            try (model) {
                return profile(env, startedMs, plan, store, model, maxThreads, out);
            }
        }
    }

    private static Profile profile(Map<String, String> env, long startedMs, Plan plan, ObjectStore store, ModelRunner model,
                                   int maxThreads, String out) {
        InferenceJobSpec spec = plan.spec();
        FirstPartition first = FirstPartition.load(plan, store, "spec.data.uri", "to profile the model on");
        String key = first.key();
        long bytes = first.partition().size();
        // the worker's reader for the partition's format: a sized job over HDF5, FITS, Parquet or shards profiles as it runs
        Map<String, NpyArray> arrays = first.arrays();
        double readSeconds = first.readSeconds();
        List<NpyArray> inputs = new ArrayList<>();
        for (String name : spec.model().inputs()) {
            inputs.add(arrays.get(name)); // the loader refused a partition without one, naming spec.model.inputs
        }
        long rows = first.rows();
        if (rows == 0) {
            throw new BadInputException(key, "has no samples: the first partition must have some to profile the model on");
        }
        List<Integer> batches = batchSizes(env, spec, rows);
        RateMeasure measure = new RateMeasure(model, key, inputs, rows, SECONDS_PER_POINT);
        long firstRows = Math.min(rows, batches.get(batches.size() - 1));
        double firstBatch = measure.seconds(firstRows, batches.get(batches.size() - 1), maxThreads);
        double toFirstBatch = (System.currentTimeMillis() - startedMs) / 1000.0;
        List<RatePoint> points = new ArrayList<>();
        for (int threads : threadCounts(env, maxThreads)) {
            for (int batch : batches) {
                RatePoint p = measure.measure(batch, threads);
                LOG.info("profile: batch {} on {} thread(s): {} samples/s", batch, threads, Math.round(p.samplesPerSecond()));
                points.add(p);
            }
        }
        double steady = points.stream().filter(p -> p.threads() == maxThreads && p.batchSize() == batches.get(batches.size() - 1))
                .mapToDouble(p -> firstRows / p.samplesPerSecond()).findFirst().orElse(firstBatch);
        double startup = Math.max(0, toFirstBatch - readSeconds - Math.min(firstBatch, steady));
        ProfileKey profileKey = new ProfileKey(plan.model() == null ? "" : plan.model().etag(),
                env.getOrDefault(WorkerLaunch.NODE_POOL, spec.nodePool() == null ? "local" : spec.nodePool()),
                spec.deviceOrDefault().name(), InputShapes.text(spec.model().inputs(), arrays),
                env.getOrDefault(WorkerLaunch.MACHINE, Machines.describe()));
        Profile profile = new Profile(Profile.VERSION, profileKey, Timestamps.now(),
                startup, bytes / Math.max(readSeconds, 1e-6), bytes, rows, peakRssBytes(), points);
        write(profile, out, store);
        LOG.info("profile: start-up {} s, read {} MB/s, written to {}", Math.round(startup * 10) / 10.0,
                Math.round(profile.downloadBytesPerSecond() / 1e5) / 10.0, out);
        return profile;
    }

    /** Each listed, else the spec's batch size when it is fixed, else a few around the default; at most the partition's rows. */
    static List<Integer> batchSizes(Map<String, String> env, InferenceJobSpec spec, long rows) {
        Set<Integer> sizes = new TreeSet<>();
        String listed = env.get(WorkerLaunch.PROFILE_BATCH_SIZES);
        if (listed != null && !listed.isBlank()) {
            sizes.addAll(numbers(listed, WorkerLaunch.PROFILE_BATCH_SIZES));
        } else if (spec.batchSize() != null) {
            sizes.add(spec.batchSize());
        } else {
            sizes.addAll(AROUND);
        }
        List<Integer> kept = new ArrayList<>();
        for (int s : sizes) {
            if (s <= rows) {
                kept.add(s);
            }
        }
        // a batch larger than the partition computes as one batch of the partition: that is what to measure
        if (kept.isEmpty() || kept.get(kept.size() - 1) < Math.min(rows, sizes.stream().mapToInt(i -> i).max().orElse(0))) {
            kept.add((int) Math.min(rows, Integer.MAX_VALUE));
        }
        return kept;
    }

    /** Each listed, else 1, 2, 4, … and {@code max} itself. */
    static List<Integer> threadCounts(Map<String, String> env, int max) {
        String listed = env.get(WorkerLaunch.PROFILE_THREADS);
        if (listed != null && !listed.isBlank()) {
            return List.copyOf(new TreeSet<>(numbers(listed, WorkerLaunch.PROFILE_THREADS)));
        }
        TreeSet<Integer> counts = new TreeSet<>();
        for (int t = 1; t < max; t *= 2) {
            counts.add(t);
        }
        counts.add(max);
        return List.copyOf(counts);
    }

    private static List<Integer> numbers(String text, String name) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int n = Integer.parseInt(part.trim());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                out.add(n);
            } catch (NumberFormatException e) {
                throw new BadInputException(name, "'" + text + "' is not a comma-separated list of positive numbers");
            }
        }
        return out;
    }

    private static int threads(Map<String, String> env) {
        String t = env.get(WorkerLaunch.THREADS);
        if (t == null || t.isBlank()) {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        List<Integer> n = numbers(t, WorkerLaunch.THREADS);
        return n.get(0);
    }

    private static void write(Profile profile, String out, ObjectStore store) {
        if (out.startsWith("s3://")) {
            store.putJson(S3Uri.parse(WorkerLaunch.PROFILE_OUT, out), profile.toJson(), WorkerLaunch.PROFILE_OUT);
            return;
        }
        try {
            Path file = Path.of(out).toAbsolutePath();
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temp, profile.toJson());
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** Peak resident memory (VmHWM, native included), 0 where /proc is not there. */
    private static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
