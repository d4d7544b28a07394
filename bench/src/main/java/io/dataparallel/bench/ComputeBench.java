package io.dataparallel.bench;

import io.dataparallel.core.example.CaiDataGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Issue 13's compute-only comparison on three models (the example CNN, the ResNet-like and the
 * ViT-like one): {@link PairedForward} in a process of its own per model, the worker's compute
 * path against PyTorch's own forward in Python on each interpreter of {@link PythonRefs}, one pass
 * each per round, in rotating order, on the same partition file with the same thread count. The
 * goal (compute-only at least PyTorch 2.7.1's) is judged on the median per-round ratio.
 */
final class ComputeBench {
    /** A model and the partition it is measured on. */
    record Case(String name, Path model, int samples, int batch) {
    }

    private ComputeBench() {
    }

    static List<Case> cases(Path repo, boolean smoke) {
        return List.of(
                new Case("CAI-shaped CNN", repo.resolve("examples/models/astro-redshift.pt"), smoke ? 128 : 5113, 512),
                new Case("ResNet-like", repo.resolve("bench/models/astro-resnet.pt"), smoke ? 32 : 512, 32),
                new Case("ViT-like", repo.resolve("bench/models/astro-vit.pt"), smoke ? 32 : 512, 32));
    }

    static void run(Results results, boolean smoke, Path work, Path repo, Set<String> flags) throws Exception {
        List<PythonRefs.Ref> refs = PythonRefs.available(flags);
        if (refs.isEmpty()) {
            results.note("compute-only against Python skipped: no Python with torch (bench/run.sh makes the PyTorch 2.7.1 venv)");
            return;
        }
        int rounds = smoke ? 1 : 7;
        for (Case c : cases(repo, smoke)) {
            Path partition = work.resolve("compute-" + c.samples() + ".npz");
            WorkerRuns.writeFile(partition, CaiDataGenerator.partition(2026, 0, c.samples()));
            List<String> args = new ArrayList<>(List.of(c.model().toString(), partition.toString(), Integer.toString(c.batch()),
                    Integer.toString(WorkerBench.THREADS), Integer.toString(rounds)));
            refs.forEach(r -> args.add(r.exe()));
            Map<?, ?> out = WorkerRuns.lastJson(WorkerRuns.run(WorkerRuns.java("io.dataparallel.bench.PairedForward",
                    args.toArray(String[]::new)), Map.of()));
            Map<?, ?> djl = (Map<?, ?>) out.get("djl");
            List<?> python = (List<?>) out.get("python");
            for (int k = 0; k < refs.size(); k++) {
                Map<?, ?> py = (Map<?, ?>) python.get(k);
                boolean primary = k == 0 && refs.get(0).label().startsWith("PyTorch 2.7.1");
                String setting = c.name() + ", " + c.samples() + " samples, batch " + c.batch() + ", " + WorkerBench.THREADS
                        + " threads, " + rounds + " paired rounds";
                // the goal is judged on the worker as it computes by default: replicas chosen by its own trials
                Map<?, ?> tuned = (Map<?, ?>) out.get("djl_tuned");
                double[] tunedRatios = doubles(py.get("tuned_ratios"));
                results.add(new Figure(2, "worker compute path as it runs (" + tuned.get("replicas") + " replica(s) x "
                        + tuned.get("threads_per_replica") + " threads, chosen by its trials) against " + refs.get(k).label()
                        + "'s forward in Python, ratio per round, " + setting, "x", Figure.median(tunedRatios), tunedRatios, 1.0,
                        refs.get(k).label() + " in the same round", primary ? "ratio >= 1.0" : "", primary ? Figure.median(tunedRatios) >= 1.0 : null));
                double[] ratios = doubles(py.get("djl_ratios"));
                results.add(new Figure(2, "worker compute path, 1 replica x " + WorkerBench.THREADS + " threads, against "
                        + refs.get(k).label() + "'s forward in Python, ratio per round, " + setting, "x", Figure.median(ratios), ratios, 1.0,
                        refs.get(k).label() + " in the same round", "", null));
                results.add(new Figure(2, "same rounds in samples/s (1 replica; minor page faults per sample: worker "
                        + djl.get("minor_faults_per_sample") + ", Python " + py.get("minor_faults_per_sample") + "), " + c.name(), "samples/s",
                        Figure.median(doubles(djl.get("rounds"))), doubles(djl.get("rounds")), Figure.median(doubles(py.get("rounds"))),
                        refs.get(k).label() + " forward (Python)", "", null));
            }
            tunedReference(results, c, rounds, refs.get(0), out);
            splits(results, c, rounds);
        }
    }

    /**
     * The reference to beat: PyTorch run as its experts run it ({@code forward.py --tuned}), beside the as-users-run-it
     * column above; the goal, compute-only at least it, is judged on the worker as it computes by default.
     */
    private static void tunedReference(Results results, Case c, int rounds, PythonRefs.Ref ref, Map<?, ?> out) {
        Map<?, ?> py = (Map<?, ?>) out.get("python_tuned");
        if (py == null) {
            return;
        }
        String label = ref.label() + " tuned (the worker's GLIBC_TUNABLES, inference_mode, channels-last images, "
                + WorkerBench.THREADS + " threads)";
        boolean primary = ref.label().startsWith("PyTorch 2.7.1");
        Map<?, ?> worker = (Map<?, ?>) out.get("djl_tuned");
        double[] ratios = doubles(py.get("tuned_ratios"));
        String setting = c.name() + ", " + c.samples() + " samples, batch " + c.batch() + ", " + rounds + " paired rounds";
        results.add(new Figure(2, "worker compute path as it runs (" + worker.get("replicas") + " replica(s) x "
                + worker.get("threads_per_replica") + " threads) against " + label + ", ratio per round, " + setting, "x",
                Figure.median(ratios), ratios, 1.0, label + " in the same round", primary ? "ratio >= 1.0" : "",
                primary ? Figure.median(ratios) >= 1.0 : null));
        results.add(new Figure(2, "same rounds in samples/s, " + ref.label() + " tuned, " + c.name(), "samples/s",
                Figure.median(doubles(py.get("rounds"))), doubles(py.get("rounds")), Figure.median(doubles(worker.get("rounds"))),
                "worker compute path as it runs", "", null));
    }

    /**
     * Item 4: the worker's compute path with the CPUs as one replica of N threads against N replicas of one
     * ({@link ReplicaSplits}), alternating rounds on the same rows.
     */
    private static void splits(Results results, Case c, int rounds) throws Exception {
        int samples = Math.min(c.samples(), c.batch() * 8);
        Map<?, ?> out = WorkerRuns.lastJson(WorkerRuns.run(WorkerRuns.java("io.dataparallel.bench.ReplicaSplits",
                c.model().toString(), Integer.toString(samples), Integer.toString(c.batch()), Integer.toString(WorkerBench.THREADS),
                Integer.toString(Math.max(1, rounds / 2))), Map.of()));
        List<?> splits = (List<?>) out.get("splits");
        Map<?, ?> one = (Map<?, ?>) splits.get(0);
        for (Object o : splits.subList(1, splits.size())) {
            Map<?, ?> s = (Map<?, ?>) o;
            double[] runs = doubles(s.get("rounds"));
            results.add(new Figure(2, "worker compute path, " + c.name() + ", " + s.get("replicas") + " replicas x " + s.get("threads")
                    + " threads against 1 x " + one.get("threads") + " (batch " + c.batch() + ", " + samples + " samples, load average "
                    + out.get("load_average") + ")", "samples/s", ((Number) s.get("samples_per_second")).doubleValue(), runs,
                    ((Number) one.get("samples_per_second")).doubleValue(), "1 replica x " + one.get("threads") + " threads", "", null));
        }
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }
}
