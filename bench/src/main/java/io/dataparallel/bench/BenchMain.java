package io.dataparallel.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;

/**
 * All benchmarks in one run: {@code bench/run.sh} (full, minutes) or {@code bench/run.sh --smoke}
 * (seconds, run by CI so the benchmarks keep working). Results go to bench/results.md and
 * bench/results.json (smoke: bench/target/smoke/). Parts can be left out while working on
 * one: --skip-worker, --skip-cnn (and so the sweeps), --skip-resnet, --skip-vit, --skip-sweeps, --skip-compute, --skip-onnx,
 * --skip-local, --skip-planner, --skip-operator, --skip-decode, --skip-debian (Python references on PyTorch 2.7.1 only); --compute-only runs only the paired compute comparison with Python (issue 13,
 * minutes). A run that leaves parts out writes to bench/target/partial/, so bench/results.md
 * always holds a whole run.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> flags = Set.of(args);
        boolean smoke = flags.contains("--smoke");
        Path repo = Path.of("").toAbsolutePath();
        Path work = Files.createTempDirectory("dataparallel-bench");
        Results results = new Results();
        boolean computeOnly = flags.contains("--compute-only");
        boolean partial = computeOnly || flags.stream().anyMatch(f -> f.startsWith("--skip-"));
        Path out = smoke ? repo.resolve("bench/target/smoke") : partial ? repo.resolve("bench/target/partial") : repo.resolve("bench");
        String command = "bench/run.sh" + (args.length == 0 ? "" : " " + String.join(" ", args));
        results.writeAsYouGo(out, command, smoke ? "smoke" : partial ? "partial" : "full");
        long t0 = System.nanoTime();
        if (!flags.contains("--skip-compute")) {
            ComputeBench.run(results, smoke, Files.createDirectories(work.resolve("compute")), repo, flags);
        }
        if (!flags.contains("--skip-onnx")) {
            OnnxBench.run(results, smoke, Files.createDirectories(work.resolve("onnx")), repo);
        }
        if (!computeOnly && !flags.contains("--skip-worker")) {
            WorkerBench.run(results, smoke, work.resolve("worker"), repo, flags);
        }
        if (!computeOnly && !flags.contains("--skip-local")) {
            LocalModeBench.run(results, smoke, Files.createDirectories(work.resolve("local")), repo);
        }
        if (!computeOnly && !flags.contains("--skip-planner")) {
            PlannerBench.run(results, smoke, Files.createDirectories(work.resolve("planner")));
        }
        if (!computeOnly && !flags.contains("--skip-operator")) {
            OperatorScaleBench.run(results, smoke, Files.createDirectories(work.resolve("operator")));
            ClusterOperatorScaleBench.run(results, smoke, Files.createDirectories(work.resolve("operator-cluster")));
        }
        if (!computeOnly && !flags.contains("--skip-decode")) {
            DecodeBench.run(results, smoke, Files.createDirectories(work.resolve("decode")), repo);
        }
        Files.createDirectories(out);
        for (String png : new String[] {"batch-sweep.png", "data-sweep.png"}) {
            Path p = work.resolve("worker").resolve(png);
            if (Files.exists(p)) {
                Files.copy(p, out.resolve(png), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        results.write(out, command, smoke ? "smoke: tiny sizes, one run each; not figures to quote"
                : partial ? "partial: some parts left out" : "full");
        PlannerBench.deleteTree(work); // gigabytes of partitions and the S3 store
        System.out.printf("benchmarks done in %.0f s; results in %s%n", (System.nanoTime() - t0) / 1e9, out.resolve("results.md"));
    }
}
