package io.dataparallel.bench;

import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.Json;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.worker.ComputePath;
import io.dataparallel.worker.tuning.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX path against the TorchScript path of the same model and against ONNX Runtime's own
 * forward in Python ({@code bench/python/ort_forward.py --serve}): three sides loaded once, then one
 * pass each over the same partition per round, the order rotating from round to round, all with
 * one replica of the same thread count. The per-round ratios are the figures.
 *
 * <p>{@code PairedOnnx MODEL.onnx MODEL.pt PARTITION.npz BATCH THREADS ROUNDS PYTHON}: prints one JSON line with
 * each side's samples/s per round.
 */
public final class PairedOnnx {
    private PairedOnnx() {
    }

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        Path torch = Path.of(args[1]);
        Path partition = Path.of(args[2]);
        int batch = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        Map<String, NpyArray> arrays = Npz.read(PairedCompute.aligned(partition), null);
        List<String> names = List.of("images", "magnitudes");
        List<NpyArray> inputs = List.of(arrays.get(names.get(0)), arrays.get(names.get(1)));
        long rows = inputs.get(0).rows();
        Setting setting = new Setting(batch, 1, threads);
        Path onnxCopy = java.nio.file.Files.copy(onnx, java.nio.file.Files.createTempFile("paired", ".onnx"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING); // the ONNX runner keeps its file until closed
        try (ComputePath onnxPath = ComputePath.load(onnxCopy, new ModelSpec(onnx.toString(), names, null), threads);
             ComputePath torchPath = ComputePath.load(torch, new ModelSpec(torch.toString(), names, null), threads);
             ServedPython python = ServedPython.start(List.of(args[6], "bench/python/ort_forward.py", onnx.toString(),
                     partition.toString(), Integer.toString(batch), Integer.toString(threads), "--serve"))) {
            double[][] rates = new double[3][rounds];
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                for (int k = 0; k < 3; k++) {
                    int side = Math.floorMod(k + r, 3);
                    double rate = switch (side) {
                        case 0 -> pass(onnxPath, inputs, rows, setting);
                        case 1 -> pass(torchPath, inputs, rows, setting);
                        default -> ServedPython.number(python.pass(), "samples_per_second");
                    };
                    if (r >= 0) {
                        rates[side][r] = rate;
                    }
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("onnx", rates[0]);
            out.put("torchscript", rates[1]);
            out.put("python_ort", rates[2]);
            out.put("onnxruntime", python.hello().get("onnxruntime"));
            System.out.println(new String(Json.write(out), StandardCharsets.UTF_8));
        } finally {
            java.nio.file.Files.deleteIfExists(onnxCopy);
        }
    }

    private static double pass(ComputePath path, List<NpyArray> inputs, long rows, Setting setting) {
        long t0 = System.nanoTime();
        path.run("paired", inputs, rows, setting);
        return rows / ((System.nanoTime() - t0) / 1e9);
    }
}
