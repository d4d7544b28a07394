package io.dataparallel.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.spec.S3Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
    static InferenceJobSpec spec(ModelSpec model, DataSpec data, OutputSpec output, Integer batch, Integer workers,
                                 Integer maxFailed, S3Spec s3) {
        return InferenceJobSpec.of(model, data, output).withBatchSize(batch).withWorkers(workers).withS3(s3).withMaxFailedWorkers(maxFailed);
    }

    static final ModelSpec MODEL = new ModelSpec("s3://models/astro/redshift.pt", List.of("images", "magnitudes"), null);
    static final DataSpec DATA = new DataSpec("s3://cosmicai-data/100MB/", 11, "redshift");
    static final OutputSpec OUT = new OutputSpec("s3://cosmicai-data/results/astro-1gb/");

    static List<String> fields(InferenceJobSpec spec) {
        return SpecValidator.problems(spec).stream().map(FieldError::field).toList();
    }

    @Test
    void theExampleIsValid() {
        assertEquals(List.of(), SpecValidator.problems(spec(MODEL, DATA, OUT, 512, 11, 0, null)));
    }

    @Test
    void eachProblemNamesItsField() {
        assertEquals(List.of("spec.model", "spec.data", "spec.output"), fields(spec(null, null, null, null, null, null, null)));
        assertEquals(List.of("spec.data.fileLimit"), fields(spec(MODEL, new DataSpec(DATA.uri(), 0, null), OUT, null, null, null, null)));
        assertEquals(List.of("spec.workers"), fields(spec(MODEL, DATA, OUT, null, 10_001, null, null)));
        assertEquals(List.of("spec.workers"), fields(spec(MODEL, DATA, OUT, null, 0, null, null)));
        assertEquals(List.of("spec.batchSize"), fields(spec(MODEL, DATA, OUT, 0, null, null, null)));
        assertEquals(List.of("spec.maxFailedWorkers"), fields(spec(MODEL, DATA, OUT, null, 2, 2, null)));
        assertEquals(List.of("spec.model.inputs"), fields(spec(new ModelSpec(MODEL.uri(), List.of(), null), DATA, OUT, null, null, null, null)));
        assertEquals(List.of("spec.model.inputs[1]"), fields(spec(new ModelSpec(MODEL.uri(), List.of("a", "a"), null), DATA, OUT, null, null, null, null)));
        // an input may be an HDF5 dataset path with groups; an output is an .npz array name, so no '/'
        assertEquals(List.of(), fields(spec(new ModelSpec(MODEL.uri(), List.of("cutouts", "/strain/H1"), null), DATA, OUT, null, null, null, null)));
        assertEquals(List.of("spec.model.inputs[0]"), fields(spec(new ModelSpec(MODEL.uri(), List.of("//"), null), DATA, OUT, null, null, null, null)));
        assertEquals(List.of("spec.model.outputs[0]"), fields(spec(new ModelSpec(MODEL.uri(), List.of("a"), List.of("p/q")), DATA, OUT, null, null, null, null)));
        // kept arrays are stored under their last path segment: two that end alike, or one named as an output, clash
        assertEquals(List.of(), fields(spec(MODEL, new DataSpec("s3://data/x/", null, null, List.of("ids", "meta/ra")), OUT, null, null, null, null)));
        assertEquals(List.of("spec.data.keep[1]"), fields(spec(MODEL, new DataSpec("s3://data/x/", null, null, List.of("a/ids", "b/ids")), OUT, null, null, null, null)));
        assertEquals(List.of("spec.data.keep[0]"), fields(spec(MODEL, new DataSpec("s3://data/x/", null, null, List.of("predictions")), OUT, null, null, null, null)));
        assertEquals(List.of("spec.model.uri"), fields(spec(new ModelSpec("s3://models/dir/", List.of("a"), null), DATA, OUT, null, null, null, null)));
        assertEquals(List.of("spec.data.uri"), fields(spec(MODEL, new DataSpec("/local/path", null, null), OUT, null, null, null, null)));
        assertEquals(List.of("spec.data.labels"), fields(spec(MODEL, new DataSpec(DATA.uri(), null, "images"), OUT, null, null, null, null)));
        assertEquals(List.of("spec.s3.endpoint"), fields(spec(MODEL, DATA, OUT, null, null, null, new S3Spec("minio:9000", null, null, null))));
    }

    @Test
    void outputInsideTheDataIsRefused() {
        assertEquals(List.of("spec.output.uri"), fields(spec(MODEL, DATA, new OutputSpec("s3://cosmicai-data/100MB/results/"), null, null, null, null)));
        assertEquals(List.of(), fields(spec(MODEL, DATA, new OutputSpec("s3://cosmicai-data/100MB-results/"), null, null, null, null)));
    }

    @Test
    void aUriWithADotSegmentIsRefusedWhereverItIs() {
        // path-style requests put the bucket in the URL path: a '..' resolved on the way reaches another bucket
        assertEquals(List.of("spec.output.uri"), fields(spec(MODEL, DATA, new OutputSpec("s3://cosmicai-data/results/../../models/"),
                null, null, null, null)));
        assertEquals(List.of("spec.data.uri"), fields(spec(MODEL, new DataSpec("s3://cosmicai-data/./100MB/", null, null), OUT,
                null, null, null, null)));
        assertEquals(List.of("spec.model.uri"), fields(spec(new ModelSpec("s3://models/astro/../x.pt", List.of("a"), null), DATA, OUT,
                null, null, null, null)));
        assertEquals(List.of(), fields(spec(MODEL, new DataSpec("s3://cosmicai-data/v1..v2/.hidden/", null, null), OUT,
                null, null, null, null)), "dots inside a segment are only dots");
    }

    @Test
    void messagesSayWhatWouldBeValid() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SpecValidator.requireValid(spec(MODEL, DATA, OUT, null, 20_000, null, null)));
        assertEquals("spec.workers", e.field());
        assertTrue(e.getMessage().contains("from 1 to 10000"), e.getMessage());
        BadInputException uri = assertThrows(BadInputException.class,
                () -> SpecValidator.requireValid(spec(MODEL, new DataSpec("https://bucket/x", null, null), OUT, null, null, null, null)));
        assertTrue(uri.getMessage().contains("s3://bucket/prefix"), uri.getMessage());
    }

    @Test
    void aTimeoutIsADurationPeopleWrite() {
        InferenceJobSpec ok = spec(MODEL, DATA, OUT, null, null, null, null);
        for (String good : List.of("90s", "45m", "2h", "1h30m", "1h0m5s", "720h")) {
            assertEquals(List.of(), fields(ok.withTimeout(good)), good);
        }
        for (String bad : List.of("", "0s", "10", "1.5h", "30m1h", "-5m", "1d", "721h", "99999999999999999999h")) {
            assertEquals(List.of("spec.timeout"), fields(ok.withTimeout(bad)), bad);
        }
        BadInputException e = assertThrows(BadInputException.class, () -> SpecValidator.requireValid(ok.withTimeout("10")));
        assertTrue(e.getMessage().contains("2h, 45m, 1h30m or 90s"), e.getMessage());
    }

    @Test
    void aDeadlineIsADurationAndABudgetAPositiveCost() {
        InferenceJobSpec ok = spec(MODEL, DATA, OUT, null, null, null, null);
        assertEquals(List.of(), fields(ok.withDeadline("10m").withBudget(0.25).withReplicas(2)));
        for (String bad : List.of("", "0s", "10", "ten minutes", "721h")) {
            assertEquals(List.of("spec.deadline"), fields(ok.withDeadline(bad)), bad);
        }
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals(List.of("spec.budget"), fields(ok.withBudget(bad)), Double.toString(bad));
        }
        assertEquals(List.of("spec.replicas"), fields(ok.withReplicas(0)));
        assertEquals(List.of("spec.replicas"), fields(ok.withReplicas(InferenceJobSpec.MAX_REPLICAS + 1)));
    }

    /** Callers validate once and then plan (the planner no longer validates): the one exception must tell everything. */
    @Test
    void requireValidNamesTheFirstProblemAndReportsAll() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SpecValidator.requireValid(spec(MODEL, new DataSpec("data/eleven", 0, null), OUT, null, null, null, null)));
        assertEquals("spec.data.uri", e.field());
        assertTrue(e.getMessage().contains("spec.data.fileLimit"), "all problems are reported: " + e.getMessage());
    }
}
