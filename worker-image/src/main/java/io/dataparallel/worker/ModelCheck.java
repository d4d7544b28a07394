package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.s3.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One batch of a plan's first partition through its model, here, before any worker starts
 * ({@code dataparallel plan --check}). The worker's own loading and forward code, so that
 * what passes here passes in a worker, and a wrong {@code spec.model.inputs} or
 * {@code spec.model.outputs} shows in seconds instead of after the workers are scheduled.
 * Always on this machine's CPU: the check is about names, dtypes and shapes, not speed.
 */
public final class ModelCheck {
    private ModelCheck() {
    }

    /**
     * Runs the check, telling {@code say} what the data has and what the model returned; throws
     * {@link BadInputException} naming the field when they do not fit.
     *
     * @param env the environment DJL is configured from, as a worker's is
     */
    public static void run(Plan plan, ObjectStore store, Map<String, String> env, Consumer<String> say) {
        InferenceJobSpec spec = plan.spec();
        FirstPartition loaded = FirstPartition.load(plan, store, "spec.data.uri", "to check the model with");
        Partition first = loaded.partition();
        long batch = Math.min(loaded.rows(), spec.batchSizeOrDefault());
        say.accept("check: the first batch of " + first.key() + ": " + batch + " of its " + loaded.rows() + " samples");
        List<NpyArray> inputs = new ArrayList<>();
        for (String name : spec.model().inputs()) {
            NpyArray in = loaded.arrays().get(name);
            inputs.add(in);
            say.accept("  input  " + name + ": " + in.dtype().numpyName() + " " + batchShape(in.shape(), batch)
                    + (loaded.where().containsKey(name) ? " (" + loaded.where().get(name) + ")" : ""));
        }
        if (batch == 0) {
            say.accept("check: " + first.key() + " has no samples: nothing to run the model on");
            return;
        }
        DjlSetup.configure(Math.max(1, Runtime.getRuntime().availableProcessors()), env);
        Path dir = tempDir();
        try (ModelRunner model = load(spec, store, dir)) {
            say.accept("check: the model is " + model.format().title());
            OnnxGraph graph = model.graph();
            if (graph != null) {
                for (OnnxGraph.Tensor out : graph.outputs()) {
                    say.accept("  graph output " + out.describe());
                }
                for (String note : graph.notes(inputs)) {
                    say.accept("  " + note);
                }
            }
            // rows = one batch: the runner's own loop, stopped after its first forward call
            Outputs outputs = model.run(first.key(), inputs, batch, spec.batchSizeOrDefault());
            for (NpyArray out : outputs.arrays()) {
                say.accept("  output " + out.name() + ": " + out.dtype().numpyName() + " " + batchShape(out.shape(), batch));
            }
            say.accept("check: passed: the model took spec.model.inputs " + spec.model().inputs() + " and returned "
                    + outputs.arrays().size() + " output(s), stored as " + model.outputNames()
                    + (spec.model().outputs() == null || spec.model().outputs().isEmpty() ? " (spec.model.outputs not given)" : ""));
        } finally {
            delete(dir);
        }
    }

    private static ModelRunner load(InferenceJobSpec spec, ObjectStore store, Path dir) {
        S3Uri uri = S3Uri.parse("spec.model.uri", spec.model().uri());
        Path file = dir.resolve("model");
        store.download(uri, file, "spec.model.uri");
        return ModelRunner.load(file, spec.model(), false, uri.toString());
    }

    private static String batchShape(long[] shape, long batch) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(i == 0 ? batch : shape[i]);
        }
        return b.append(']').toString();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("dataparallel-check");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the model", e);
        }
    }

    private static void delete(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("model"));
            Files.deleteIfExists(dir.resolve("model.onnx"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary folder: the system cleans it eventually
        }
    }
}
