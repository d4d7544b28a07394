package io.dataparallel.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.sun.management.OperatingSystemMXBean;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.example.CaiDataGenerator;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.worker.ComputePath;
import io.dataparallel.worker.tuning.Setting;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 13 item 4's two measurements. First, whether libtorch's intra-op thread count (DJL's
 * {@code JniUtils.setNumThreads}, {@code at::set_num_threads}) is per thread or global in the
 * build DJL ships: one thread sets 1, the others read theirs. Second, the worker's compute path
 * with the CPUs split as 1 replica × N threads, 2 × N/2, …, N × 1, in alternating rounds on
 * the same rows: samples/s and CPU-seconds per sample, medians.
 *
 * <p>{@code ReplicaSplits MODEL.pt SAMPLES BATCH CPUS ROUNDS}; prints one JSON line.
 */
public final class ReplicaSplits {
    private ReplicaSplits() {
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args[0]);
        int samples = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int cpus = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        Path partition = Files.createTempFile("splits", ".npz");
        Files.write(partition, CaiDataGenerator.partition(2026, 0, samples));
        Map<String, NpyArray> arrays = Npz.read(PairedCompute.aligned(partition), null);
        Files.delete(partition);
        List<NpyArray> inputs = List.of(arrays.get("images"), arrays.get("magnitudes"));
        ModelSpec spec = new ModelSpec(modelFile.toString(), List.of("images", "magnitudes"), null);
        StringBuilder json = new StringBuilder("{");
        try (ComputePath djl = ComputePath.load(modelFile, spec, cpus)) {
            json.append(perThread());
            List<Setting> splits = new ArrayList<>();
            for (int r = 1; r <= cpus; r *= 2) {
                splits.add(new Setting(batch, r, Math.max(1, cpus / r)));
            }
            for (Setting s : splits) { // warm-up: the profiling executor optimises on the first calls, per thread
                djl.run("warm-up", inputs, Math.min(samples, (long) batch * s.replicas()), s);
                djl.run("warm-up", inputs, Math.min(samples, (long) batch * s.replicas()), s);
            }
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double[][] rate = new double[splits.size()][rounds];
            double[][] cpuPerSample = new double[splits.size()][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < splits.size(); k++) {
                    long c0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    djl.run("split", inputs, samples, splits.get(k));
                    double wall = (System.nanoTime() - t0) / 1e9;
                    rate[k][round] = samples / wall;
                    cpuPerSample[k][round] = (os.getProcessCpuTime() - c0) / 1e9 / samples;
                }
            }
            json.append(", \"splits\": [");
            for (int k = 0; k < splits.size(); k++) {
                json.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                        "{\"replicas\": %d, \"threads\": %d, \"samples_per_second\": %.1f, \"cpu_ms_per_sample\": %.2f, \"rounds\": %s}",
                        splits.get(k).replicas(), splits.get(k).threadsPerReplica(), Figure.median(rate[k]),
                        1000 * Figure.median(cpuPerSample[k]), java.util.Arrays.toString(rate[k])));
            }
            json.append("]");
        }
        System.out.println(json.append(", \"load_average\": ").append(Files.readString(Path.of("/proc/loadavg")).split(" ")[0])
                .append("}"));
    }

    /** Whether a thread's setNumThreads shows in another thread's getNumThreads. */
    private static String perThread() throws InterruptedException {
        int before = JniUtils.getNumThreads();
        AtomicInteger inOther = new AtomicInteger();
        Thread setter = new Thread(() -> {
            JniUtils.setNumThreads(1);
            inOther.set(JniUtils.getNumThreads());
        });
        setter.start();
        setter.join();
        int after = JniUtils.getNumThreads();
        AtomicInteger inThird = new AtomicInteger();
        Thread third = new Thread(() -> inThird.set(JniUtils.getNumThreads()));
        third.start();
        third.join();
        return String.format(Locale.ROOT, "\"num_threads\": {\"main_before\": %d, \"setter_after_set_1\": %d, \"main_after\": %d,"
                + " \"new_thread\": %d, \"per_thread\": %b}", before, inOther.get(), after, inThird.get(), after == before);
    }
}
