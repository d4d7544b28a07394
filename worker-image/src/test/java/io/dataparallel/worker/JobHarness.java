package io.dataparallel.worker;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.result.Summary;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputClaim;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.testing.S3Fixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the operator and the Job controller for worker tests: plans the job with the real
 * planner, claims the output, mounts the plan as a file and runs the real worker entry
 * point once per rank with the environment a pod would get.
 */
final class JobHarness {
    static final JobRef JOB = new JobRef("default", "test-job", "uid-1");

    final S3Fixture s3;
    final Path dir;

    JobHarness(S3Fixture s3, Path dir) {
        this.s3 = s3;
        this.dir = dir;
    }

    static InferenceJobSpec spec(S3Fixture s3, String model, List<String> inputs, List<String> outputs, String data,
                                 String labels, String output, Integer workers, int batchSize) {
        return InferenceJobSpec.of(new ModelSpec(model, inputs, outputs), new DataSpec(data, null, labels), new OutputSpec(output))
                .withBatchSize(batchSize).withWorkers(workers).withDevice(Device.cpu).withS3(s3.spec());
    }

    Plan plan(JobRef job, InferenceJobSpec spec) {
        Plan plan = new Planner(s3.store(), 10_000).plan(job, spec);
        OutputClaim.claim(s3.store(), OutputLayout.of(spec.output()), plan, false);
        return plan;
    }

    Path writePlan(Plan plan) {
        try {
            Path file = Files.createTempFile(dir, "plan", ".json.gz");
            PlanCodec.write(plan, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> env(Path planFile, int rank, int worldSize) {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put(WorkerLaunch.COMPLETION_INDEX, Integer.toString(rank));
        env.put(WorkerLaunch.WORLD_SIZE, Integer.toString(worldSize));
        env.put(WorkerLaunch.PLAN, planFile.toString());
        env.put(WorkerLaunch.TMPDIR, dir.toString());
        env.put(WorkerLaunch.THREADS, "2");
        return env;
    }

    /** Runs every rank of {@code plan}; returns their exit codes. */
    List<Integer> runWorkers(Plan plan) {
        Path file = writePlan(plan);
        List<Integer> codes = new ArrayList<>();
        for (int rank = 0; rank < plan.worldSize(); rank++) {
            codes.add(WorkerMain.run(WorkerLaunch.WORKER, env(file, rank, plan.worldSize()), System.currentTimeMillis()));
        }
        return codes;
    }

    int runSummarizer(Plan plan) {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put(WorkerLaunch.PLAN, writePlan(plan).toString());
        return WorkerMain.run(WorkerLaunch.SUMMARIZER, env, System.currentTimeMillis());
    }

    Summary summary(Plan plan) {
        return Json.read(s3.require(plan.spec().output().uri() + "summary.json"), Summary.class);
    }

    RankResult rankResult(Plan plan, int rank) {
        return Json.read(s3.require(plan.spec().output().uri() + "ranks/" + rank + ".json"), RankResult.class);
    }
}
