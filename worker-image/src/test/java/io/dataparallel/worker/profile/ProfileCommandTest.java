package io.dataparallel.worker.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.launch.WorkerExit;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.sizing.Profile;
import io.dataparallel.core.sizing.RatePoint;
import io.dataparallel.core.testing.S3Fixture;
import io.dataparallel.worker.WorkerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code profile} command on the real worker code: the example model on a small CAI-shaped partition. */
class ProfileCommandTest {
    @TempDir
    Path tmp;

    @Test
    void measuresTheFirstPartitionAndWritesProfileJsonToTheStore() throws Exception {
        try (S3Fixture s3 = S3Fixture.withExample(tmp.resolve("store"), 2)) {
            Profile profile = profile(s3, new ModelSpec(S3Fixture.EXAMPLE_MODEL, S3Fixture.EXAMPLE_INPUTS, S3Fixture.EXAMPLE_OUTPUTS),
                    S3Fixture.EXAMPLE_DATA);
            assertTrue(profile.key().inputShapes().matches("images=float32\\[\\d+(,\\d+)*] magnitudes=float32\\[\\d+]"),
                    profile.key().inputShapes());
            assertTrue(profile.partitionSamples() > 0);
        }
    }

    @Test
    void aPartitionOfAnotherFormatIsReadWithTheWorkersReaderForIt() throws Exception {
        try (S3Fixture s3 = S3Fixture.withExample(tmp.resolve("store"), 0)) {
            s3.put("s3://data/h5/part-0.h5", S3Fixture.repoRoot().resolve("examples/reference/astro-small.h5"));
            Profile profile = profile(s3, new ModelSpec(S3Fixture.EXAMPLE_MODEL, List.of("images", "/phot/magnitudes"),
                    S3Fixture.EXAMPLE_OUTPUTS), "s3://data/h5/");
            assertTrue(profile.key().inputShapes().matches("images=float32\\[\\d+(,\\d+)*] /phot/magnitudes=float32\\[\\d+]"),
                    profile.key().inputShapes());
            assertTrue(profile.partitionSamples() > 0);
        }
    }

    /** Runs the profile command on the first partition under {@code data} and checks what every profile holds. */
    private Profile profile(S3Fixture s3, ModelSpec model, String data) throws Exception {
        InferenceJobSpec spec = InferenceJobSpec.of(model, new DataSpec(data, null, null),
                new OutputSpec(S3Fixture.EXAMPLE_OUTPUT)).withDevice(Device.cpu).withS3(s3.spec());
        Plan plan = new Planner(s3.store(), 10).plan(new JobRef("default", "profiled", "uid"), spec);
        Path planFile = tmp.resolve("plan.json.gz");
        PlanCodec.write(plan, planFile);
        Map<String, String> env = new HashMap<>(s3.env());
        env.put(WorkerLaunch.PLAN, planFile.toString());
        env.put(WorkerLaunch.JOB_UID, "uid");
        env.put(WorkerLaunch.TMPDIR, Files.createDirectories(tmp.resolve("work")).toString());
        env.put(WorkerLaunch.THREADS, "2");
        env.put(WorkerLaunch.PROFILE_BATCH_SIZES, "4,16");
        env.put(WorkerLaunch.PROFILE_OUT, "s3://results/astro/profile.json");

        assertEquals(WorkerExit.OK.code(), WorkerMain.run(WorkerLaunch.PROFILE, env, System.currentTimeMillis()));

        Profile profile = Profile.fromJson(s3.require("s3://results/astro/profile.json"));
        assertEquals("", profile.problem());
        assertEquals(plan.model().etag(), profile.key().modelEtag());
        assertEquals("local", profile.key().nodePool());
        assertEquals(plan.sizes().get(0), profile.partitionBytes());
        assertTrue(profile.startupSeconds() >= 0 && profile.downloadBytesPerSecond() > 0);
        assertTrue(profile.memoryBytes() > 0);
        // 1 and 2 threads × the two batch sizes asked for
        assertEquals(List.of("4/1", "16/1", "4/2", "16/2"), profile.points().stream()
                .map((RatePoint p) -> p.batchSize() + "/" + p.threads()).toList());
        return profile;
    }

    @Test
    void withoutAnOutputItIsABadInput() {
        Map<String, String> env = new HashMap<>();
        env.put(WorkerLaunch.PLAN, tmp.resolve("missing.json.gz").toString());
        assertEquals(WorkerExit.BAD_INPUT.code(), WorkerMain.run(WorkerLaunch.PROFILE, env, System.currentTimeMillis()));
    }
}
