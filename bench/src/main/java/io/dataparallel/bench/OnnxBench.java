package io.dataparallel.bench;

import io.dataparallel.core.example.CaiDataGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 9, compute-only: on each of the three benchmark models, the worker's ONNX path against
 * ONNX Runtime's own forward in Python (the goal: at least 1.0x) and against the worker's TorchScript
 * path on the same weights (which engine is faster on this CPU, so the README can advise), in
 * {@link PairedOnnx}'s paired rotating rounds, one process per model, one replica of
 * {@link WorkerBench#THREADS} threads on every side.
 */
final class OnnxBench {
    private OnnxBench() {
    }

    static void run(Results results, boolean smoke, Path work, Path repo) throws Exception {
        String python = System.getenv(PythonRefs.TORCH_PYTHON);
        if (python == null || python.isBlank() || !hasOrt(python)) {
            results.note("ONNX against Python ONNX Runtime skipped: no Python with onnxruntime (bench/python/torch-venv.sh makes it)");
            return;
        }
        int rounds = smoke ? 1 : 7;
        for (ComputeBench.Case c : ComputeBench.cases(repo, smoke)) {
            Path torch = c.model();
            Path onnx = torch.resolveSibling(torch.getFileName().toString().replace(".pt", ".onnx"));
            Path partition = work.resolve("onnx-" + c.samples() + ".npz");
            WorkerRuns.writeFile(partition, CaiDataGenerator.partition(2026, 0, c.samples()));
            Map<?, ?> out = WorkerRuns.lastJson(WorkerRuns.run(WorkerRuns.java("io.dataparallel.bench.PairedOnnx", onnx.toString(),
                    torch.toString(), partition.toString(), Integer.toString(c.batch()), Integer.toString(WorkerBench.THREADS),
                    Integer.toString(rounds), python), Map.of()));
            double[] ours = doubles(out.get("onnx"));
            double[] ts = doubles(out.get("torchscript"));
            double[] ort = doubles(out.get("python_ort"));
            String setting = c.name() + ", " + c.samples() + " samples, batch " + c.batch() + ", 1 replica x " + WorkerBench.THREADS
                    + " threads, " + rounds + " paired rounds";
            String ref = "ONNX Runtime " + out.get("onnxruntime") + " in Python";
            double[] vsOrt = ratios(ours, ort);
            results.add(new Figure(9, "worker's ONNX path against " + ref + ", ratio per round, " + setting, "x",
                    Figure.median(vsOrt), vsOrt, 1.0, ref + " in the same round", "ratio >= 1.0", Figure.median(vsOrt) >= 1.0));
            double[] vsTs = ratios(ours, ts);
            results.add(new Figure(9, "worker's ONNX path against its TorchScript path (same weights), ratio per round, " + setting
                    + (Figure.median(vsTs) >= 1.0 ? ": ONNX faster" : ": TorchScript faster"), "x", Figure.median(vsTs), vsTs, 1.0,
                    "the worker's TorchScript path in the same round", "", null));
            results.add(new Figure(9, "same rounds in samples/s, worker's ONNX path, " + c.name(), "samples/s", Figure.median(ours), ours,
                    Figure.median(ort), ref, "", null));
        }
    }

    private static boolean hasOrt(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import onnxruntime, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static double[] ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
    }
}
