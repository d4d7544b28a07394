package io.dataparallel.worker.warmup;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.core.npz.DType;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.output.OutputClaim;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One small job run whole inside the process (plan, one rank, the summary) against a
 * {@link LoopbackS3}, so that the JVM has loaded what a worker or summarizer pod loads: the
 * image build runs it under {@code -XX:ArchiveClassesAtExit} and the pods map the archive it
 * writes, starting in about half the time (README, worker launch contract). The model is the
 * example classifier, shipped in the worker jar for this alone, once as TorchScript and once as
 * ONNX, so that both engines' classes are in the archive and both engines' natives in the image.
 */
public final class TrainingRun {
    private static final List<String> MODELS = List.of("toy-classifier.pt", "toy-classifier.onnx");
    private static final int ROWS = 64;

    private TrainingRun() {
    }

    /**
     * Runs the job with {@code worker} standing for the worker image's own commands (they get
     * the pod environment a Job gives them); {@code temp} holds the plan and downloads.
     */
    public static void run(Path temp, Commands worker) {
        for (String model : MODELS) {
            run(temp, worker, model);
        }
    }

    private static void run(Path temp, Commands worker, String model) {
        try (LoopbackS3 s3 = new LoopbackS3()) {
            s3.put("warmup", model, model(model));
            s3.put("warmup", "data/part-0.npz", partition());
            InferenceJobSpec spec = InferenceJobSpec.of(new ModelSpec("s3://warmup/" + model, List.of("features"),
                            List.of("logits", "embedding")), new DataSpec("s3://warmup/data/", null, "label"),
                    new OutputSpec("s3://warmup/out-" + model + "/")).withBatchSize(16).withWorkers(1)
                    .withS3(new S3Spec(s3.endpoint(), "us-east-1", true, null));
            Map<String, String> env = new HashMap<>(Map.of(WorkerLaunch.ACCESS_KEY_ID, "warmup",
                    WorkerLaunch.SECRET_ACCESS_KEY, "warmup", WorkerLaunch.RANK, "0", WorkerLaunch.WORLD_SIZE, "1",
                    WorkerLaunch.THREADS, "1", WorkerLaunch.TMPDIR, temp.toString()));
            try (ObjectStore store = new ObjectStore(S3Clients.create(spec.s3OrDefault(), env))) {
                Plan plan = new Planner(store, 1).plan(new JobRef("warmup", "warmup", ""), spec);
                OutputClaim.claim(store, OutputLayout.of(spec.output()), plan, false);
                Path planFile = temp.resolve("warmup-plan.json.gz");
                PlanCodec.write(plan, planFile);
                env.put(WorkerLaunch.PLAN, planFile.toString());
            }
            worker.run(WorkerLaunch.WORKER, env);
            worker.run(WorkerLaunch.SUMMARIZER, env);
        } catch (IOException e) {
            throw new UncheckedIOException("the warmup's loopback store did not start", e);
        }
    }

    /** The worker image's commands, run in this process. */
    @FunctionalInterface
    public interface Commands {
        /** Runs {@code command}; fails when it does not succeed. */
        void run(String command, Map<String, String> env);
    }

    private static byte[] model(String name) throws IOException {
        try (InputStream in = TrainingRun.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not in the worker jar");
            }
            return in.readAllBytes();
        }
    }

    /** Features [64, 8] float32 and int64 labels, the classifier's input. */
    private static byte[] partition() {
        Random random = new Random(7);
        float[] features = new float[ROWS * 8];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextGaussian();
        }
        ByteBuffer labels = ByteBuffer.allocate(ROWS * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < ROWS; i++) {
            labels.putLong(i % 3);
        }
        return Npz.toBytes(List.of(NpyArray.ofFloats("features", new long[] {ROWS, 8}, features),
                new NpyArray("label", DType.INT64, new long[] {ROWS}, labels.flip())));
    }
}
