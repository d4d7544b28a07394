package io.dataparallel.bench;

import io.dataparallel.api.result.Tuning;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.Json;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.worker.ComputePath;
import io.dataparallel.worker.tuning.ComputeTuner;
import io.dataparallel.worker.tuning.Setting;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 13's fair reference: the worker's compute path ({@link ComputePath}) against PyTorch's
 * own forward in Python ({@code bench/python/forward.py --serve}), one Python process per
 * interpreter given (PyTorch 2.7.1, the libtorch DJL runs, and Debian's 1.13), all loaded once
 * and then run in turns, one pass over the same partition each per round, the order rotating
 * from round to round. Only one of them computes at a time and all of them see the same drift
 * of a shared machine, so the per-round ratio is the figure; samples/s are context. Each side
 * also reports samples per CPU-second of its process (all threads): with one thread that counts
 * the work done and hardly the time spent waiting for a core, which a busy machine hides in
 * wall time; with more threads it also counts OpenMP's spinning at barriers. The worker's side
 * runs twice per round: as one replica of all the threads, and with the replicas × threads split
 * the worker's own trials choose when {@code spec.replicas} is unset ({@code djl_tuned}), which is
 * how a worker computes by default. The first interpreter also runs tuned, as the field's experts run PyTorch
 * ({@code forward.py --tuned}: the worker's allocator settings, inference_mode, channels-last images), the
 * stronger reference.
 *
 * <p>{@code PairedForward MODEL.pt PARTITION.npz BATCH THREADS ROUNDS PYTHON...}: prints one JSON line.
 */
public final class PairedForward {
    private PairedForward() {
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args[0]);
        Path partition = Path.of(args[1]);
        int batch = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        Map<String, NpyArray> arrays = Npz.read(PairedCompute.aligned(partition), null);
        List<NpyArray> inputs = List.of(arrays.get("images"), arrays.get("magnitudes"));
        long rows = inputs.get(0).rows();
        List<Python> pythons = new ArrayList<>();
        try (ComputePath djl = ComputePath.load(modelFile, new ModelSpec(modelFile.toString(), List.of("images", "magnitudes"), null), threads)) {
            // the worker with spec.replicas unset times the splits of its CPUs on its first partition and keeps the fastest
            Tuning tuning = djl.tune("paired", inputs, physicalMemoryMb(), new ComputeTuner.Request(batch, null, threads, false, rows,
                    TUNING_BUDGET_SECONDS));
            Setting oneReplica = new Setting(batch, 1, threads);
            Setting chosen = new Setting(batch, tuning.replicas(), tuning.threadsPerReplica());
            for (int i = 5; i < args.length; i++) {
                pythons.add(Python.start(args[i], args[0], args[1], batch, threads, false));
            }
            int users = pythons.size();
            if (users > 0) { // the first interpreter (PyTorch 2.7.1 where there is its venv) once more, tuned
                pythons.add(Python.start(args[5], args[0], args[1], batch, threads, true));
            }
            int sides = pythons.size() + 2; // 0: one replica of all threads, 1: the tuner's choice, the Pythons as users run them, the tuned one
            double[][] rates = new double[sides][rounds];
            double[][] cpuRates = new double[sides][rounds];
            double[][] faults = new double[sides][rounds];
            for (int r = -2; r < rounds; r++) { // two warm-up rounds: the profiling executor optimises on its second call
                for (int k = 0; k < sides; k++) {
                    int side = Math.floorMod(k + r, sides); // rotate who goes first
                    double[] rate = side < 2 ? pass(djl, inputs, rows, side == 0 ? oneReplica : chosen) : pythons.get(side - 2).pass();
                    if (r >= 0) {
                        rates[side][r] = rate[0];
                        cpuRates[side][r] = rate[1];
                        faults[side][r] = rate[2];
                    }
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", modelFile.getFileName().toString());
            out.put("batch", batch);
            out.put("threads", threads);
            out.put("djl", side(rates[0], null, cpuRates[0], null, faults[0]));
            Map<String, Object> tuned = new LinkedHashMap<>();
            tuned.put("replicas", chosen.replicas());
            tuned.put("threads_per_replica", chosen.threadsPerReplica());
            tuned.putAll(side(rates[1], null, cpuRates[1], null, faults[1]));
            out.put("djl_tuned", tuned);
            List<Map<String, Object>> references = new ArrayList<>(); // in the order given, then the tuned one
            for (int k = 0; k < pythons.size(); k++) {
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("torch", pythons.get(k).version);
                ref.putAll(side(rates[k + 2], rates[0], cpuRates[k + 2], cpuRates[0], faults[k + 2]));
                ref.put("tuned_ratio", round(Figure.median(ratios(rates[1], rates[k + 2]))));
                ref.put("tuned_ratios", roundAll(ratios(rates[1], rates[k + 2])));
                references.add(ref);
            }
            out.put("python", references.subList(0, users));
            if (pythons.size() > users) {
                out.put("python_tuned", references.get(users));
            }
            System.out.println(new String(Json.write(out), StandardCharsets.UTF_8));
        } finally {
            for (Python p : pythons) {
                p.close();
            }
        }
    }

    /** As the worker's own trials may take (RankCompute.TUNING_BUDGET_SECONDS). */
    private static final double TUNING_BUDGET_SECONDS = 3;

    /**
     * One pass of the worker's compute path: samples per wall second and per CPU-second of this process, and minor
     * page faults per sample (memory the allocator took fresh from the kernel and the pass touched first).
     */
    private static double[] pass(ComputePath djl, List<NpyArray> inputs, long rows, Setting setting) throws java.io.IOException {
        long t0 = System.nanoTime();
        double c0 = cpuSeconds();
        long f0 = minorFaults();
        djl.run("paired", inputs, rows, setting);
        return new double[] {rows / ((System.nanoTime() - t0) / 1e9), rows / (cpuSeconds() - c0), (minorFaults() - f0) / (double) rows};
    }

    /** This process's minor page faults so far: field 10 of /proc/self/stat (after the command's closing parenthesis). */
    static long minorFaults() throws java.io.IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }

    private static double physicalMemoryMb() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 1e6;
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** One side's rounds, and when {@code djl} is given, DJL's ratio to it per round, by wall and by CPU time. */
    private static Map<String, Object> side(double[] rates, double[] djl, double[] cpuRates, double[] djlCpu, double[] faults) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("minor_faults_per_sample", round(Figure.median(faults)));
        m.put("samples_per_second", round(Figure.median(rates)));
        m.put("rounds", roundAll(rates));
        m.put("samples_per_cpu_second", round(Figure.median(cpuRates)));
        if (djl != null) {
            m.put("djl_ratio", round(Figure.median(ratios(djl, rates))));
            m.put("djl_ratios", roundAll(ratios(djl, rates)));
            m.put("djl_cpu_ratio", round(Figure.median(ratios(djlCpu, cpuRates))));
            m.put("djl_cpu_ratios", roundAll(ratios(djlCpu, cpuRates)));
        }
        return m;
    }

    private static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static List<Double> roundAll(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(round(x));
        }
        return out;
    }

    /** A {@code forward.py --serve} process: one pass per line written to it. */
    private static final class Python implements AutoCloseable {
        private final ServedPython served;
        private final String version;

        private Python(ServedPython served) {
            this.served = served;
            this.version = String.valueOf(served.hello().get("torch")).replaceAll("\\+.*", "");
        }

        /** @param tuned as an expert tunes PyTorch ({@code forward.py --tuned}), under the worker's allocator settings */
        static Python start(String python, String model, String partition, int batch, int threads, boolean tuned) throws Exception {
            List<String> command = new ArrayList<>(List.of(python, "bench/python/forward.py", model, partition, Integer.toString(batch),
                    Integer.toString(threads), "--serve"));
            if (tuned) {
                command.add("--tuned");
            }
            return new Python(ServedPython.start(command, tuned));
        }

        double[] pass() throws Exception {
            Map<?, ?> m = served.pass();
            return new double[] {ServedPython.number(m, "samples_per_second"), ServedPython.number(m, "samples_per_cpu_second"),
                ServedPython.number(m, "minor_faults_per_sample")};
        }

        @Override
        public void close() throws Exception {
            served.close();
        }
    }
}
