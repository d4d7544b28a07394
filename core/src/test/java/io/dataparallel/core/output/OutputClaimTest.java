package io.dataparallel.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.ModelObject;
import io.dataparallel.api.plan.OutputOwner;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputClaimTest {
    static final ModelObject MODEL = new ModelObject("aaaa1111", 100);

    @TempDir
    static Path tmp;
    static S3Fixture s3;

    @BeforeAll
    static void start() {
        s3 = new S3Fixture(tmp);
        s3.createBucket("out");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    static InferenceJobSpec spec(String output) {
        return InferenceJobSpec.of(new ModelSpec("s3://m/model.pt", List.of("images"), List.of("z")),
                new DataSpec("s3://d/in/", null, null), new OutputSpec(output)).withBatchSize(8).withWorkers(1);
    }

    static Plan plan(JobRef job, InferenceJobSpec spec, ModelObject model) {
        return new Plan(Plan.VERSION, job, spec, 1, List.of("p.npz"), List.of(5L), List.of("abc"), List.of(0, 1), List.of(), model);
    }

    static Plan plan(JobRef job, String output) {
        return plan(job, spec(output), MODEL);
    }

    @Test
    void theFirstJobOwnsTheOutputAndOnlyItMayClaimAgain() {
        OutputLayout layout = OutputLayout.of("s3://out/a");
        JobRef mine = new JobRef("ns", "mine", "u1");
        OutputOwner owner = OutputClaim.claim(s3.store(), layout, plan(mine, "s3://out/a/"), false);
        assertEquals("mine", owner.name());
        assertEquals(MODEL, owner.provenance().model());
        // the same job recreated (new uid) resumes
        assertEquals("mine", OutputClaim.claim(s3.store(), layout, plan(new JobRef("ns", "mine", "u2"), "s3://out/a/"), false).name());
        BadInputException e = assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), layout, plan(new JobRef("other", "mine", "u3"), "s3://out/a/"), true));
        assertEquals("spec.output.uri", e.field());
        assertTrue(e.getMessage().contains("belongs to job ns/mine"), e.getMessage());
        assertEquals("mine", OutputClaim.verify(s3.store(), layout, mine).name());
    }

    @Test
    void aForeignOwnerFileOrNoneAtAllIsRefused() {
        s3.put("s3://out/b/_job.json", "{\"hello\": 1}".getBytes());
        BadInputException junk = assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), OutputLayout.of("s3://out/b/"), plan(new JobRef("ns", "x", ""), "s3://out/b/"), false));
        assertTrue(junk.getMessage().contains("not a dataparallel owner file"));
        BadInputException none = assertThrows(BadInputException.class,
                () -> OutputClaim.verify(s3.store(), OutputLayout.of("s3://out/c/"), new JobRef("ns", "x", "")));
        assertTrue(none.getMessage().contains("does not exist"));
    }

    @Test
    void aChangedModelInputOrOutputIsRefusedNamingTheField() {
        String out = "s3://out/changed/";
        OutputLayout layout = OutputLayout.of(out);
        JobRef job = new JobRef("ns", "j", "u");
        OutputClaim.claim(s3.store(), layout, plan(job, out), false);

        BadInputException model = assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), layout, plan(job, spec(out), new ModelObject("bbbb2222", 100)), false));
        assertEquals("spec.model.uri", model.field());
        assertTrue(model.getMessage().contains("spec.model.uri: the model changed since the predictions under "
                + out + "predictions/ were written (etag aaaa1111, 100 bytes -> etag bbbb2222, 100 bytes)"), model.getMessage());
        assertTrue(model.getMessage().contains("--restart") && model.getMessage().contains("dataparallel.io/restart"), model.getMessage());

        InferenceJobSpec renamed = spec(out).withModel(new ModelSpec("s3://m/model.pt", List.of("images"), List.of("redshift")));
        BadInputException outputs = assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), layout, plan(job, renamed, MODEL), false));
        assertEquals("spec.model.outputs", outputs.field());
        assertTrue(outputs.getMessage().contains("[z] -> [redshift]"), outputs.getMessage());

        InferenceJobSpec moreInputs = spec(out).withModel(new ModelSpec("s3://m/model.pt", List.of("images", "mags"), List.of("z")));
        assertEquals("spec.model.inputs", assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), layout, plan(job, moreInputs, MODEL), false)).field());

        // how the work is spread is not what it computes: a rerun with other batches and workers resumes
        assertEquals("j", OutputClaim.claim(s3.store(), layout, plan(job, spec(out).withBatchSize(64).withWorkers(7), MODEL), false).name());
        // the same bytes under another key are the same model
        InferenceJobSpec moved = spec(out).withModel(new ModelSpec("s3://m/copy.pt", List.of("images"), List.of("z")));
        assertEquals("j", OutputClaim.claim(s3.store(), layout, plan(job, moved, MODEL), false).name());
    }

    @Test
    void aRestartDeletesTheEarlierPredictionsAndRecordsTheNewProvenance() {
        String out = "s3://out/restart/";
        OutputLayout layout = OutputLayout.of(out);
        JobRef job = new JobRef("ns", "r", "u");
        OutputClaim.claim(s3.store(), layout, plan(job, out), false);
        for (int i = 0; i < 3; i++) {
            s3.put(out + "predictions/sub/p" + i + ".npz", new byte[] {1});
        }
        s3.put(out + "quality/sub/p0.npz", new byte[] {1});
        s3.put(out + "ranks/0.json", "{}".getBytes(StandardCharsets.UTF_8));
        s3.put("s3://out/restart-neighbour/predictions/p.npz", new byte[] {1});
        ModelObject retrained = new ModelObject("cccc3333", 120);

        OutputOwner owner = OutputClaim.claim(s3.store(), layout, plan(job, spec(out), retrained), true);
        assertEquals(retrained, owner.provenance().model());
        assertTrue(s3.store().list(layout.root().resolve(OutputLayout.PREDICTIONS), "t").isEmpty());
        assertFalse(s3.get(out + "quality/sub/p0.npz").isPresent());
        assertFalse(s3.get(out + "ranks/0.json").isPresent());
        assertTrue(s3.get("s3://out/restart-neighbour/predictions/p.npz").isPresent(), "only this output's folders are deleted");
        // from now on the new model is the one that resumes, and the old one is refused
        assertEquals(retrained, OutputClaim.claim(s3.store(), layout, plan(job, spec(out), retrained), false).provenance().model());
        assertEquals("spec.model.uri", assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), layout, plan(job, out), false)).field());
    }

    @Test
    void anOwnerFileWithoutProvenanceCannotBeResumed() {
        s3.put("s3://out/old/_job.json", "{\"namespace\": \"ns\", \"name\": \"old\", \"planHash\": \"h\"}".getBytes());
        OutputLayout layout = OutputLayout.of("s3://out/old/");
        BadInputException e = assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), layout, plan(new JobRef("ns", "old", ""), "s3://out/old/"), false));
        assertEquals("spec.output.uri", e.field());
        assertTrue(e.getMessage().contains("records no provenance"), e.getMessage());
        assertEquals(MODEL, OutputClaim.claim(s3.store(), layout, plan(new JobRef("ns", "old", ""), "s3://out/old/"), true)
                .provenance().model());
    }
}
