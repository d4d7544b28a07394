package io.dataparallel.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.ModelObject;
import io.dataparallel.api.plan.Partition;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.PartitionResult;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.core.s3.StoredObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A worker skips a partition only when its prediction's metadata says this plan would compute the same. */
class ProvenanceCheckTest {
    static final String OUT = "s3://out/prov/";
    static final OutputLayout LAYOUT = OutputLayout.of(OUT);
    static final JobRef JOB = new JobRef("ns", "j", "u");
    static final Plan PLAN = OutputClaimTest.plan(JOB, OutputClaimTest.spec(OUT), OutputClaimTest.MODEL);
    static final Partition P = PLAN.partition(0);

    static StoredObject prediction(Map<String, String> metadata) {
        return new StoredObject("prov/predictions/p.npz", 10, "e", metadata);
    }

    static BadInputException refused(Plan plan, Partition p, Map<String, String> metadata) {
        return assertThrows(BadInputException.class, () -> ProvenanceCheck.requireDone(prediction(metadata), plan, p, LAYOUT));
    }

    /** A partition of 42 samples, computed in 3 forward calls. */
    static final PartitionResult COMPUTED = new PartitionResult(P.key(), 42, P.size(), 3, false, 0.25, 0.125, 1.5, 0.0625,
            1_700_000_000_000L, 1_700_000_000_400L, 1_700_000_002_000L);

    @Test
    void aPredictionOfTheSamePlanIsDoneWithItsSamplesAndTheFiguresOfTheRunThatComputedIt() {
        Map<String, String> meta = ProvenanceCheck.metadata(PLAN, P, COMPUTED);
        PartitionResult done = ProvenanceCheck.requireDone(prediction(meta), PLAN, P, LAYOUT);
        assertEquals(new PartitionResult(P.key(), 42, P.size(), 3, true, 0.25, 0.125, 1.5, 0.0625,
                1_700_000_000_000L, 1_700_000_000_400L, 1_700_000_002_000L), done);
        // other batches and workers compute the same
        Plan rebatched = OutputClaimTest.plan(JOB, OutputClaimTest.spec(OUT).withBatchSize(99).withWorkers(3), OutputClaimTest.MODEL);
        assertEquals(42, ProvenanceCheck.requireDone(prediction(meta), rebatched, P, LAYOUT).samples());
    }

    @Test
    void aPredictionWithoutFiguresIsStillDoneWithZeros() {
        Map<String, String> meta = new HashMap<>(ProvenanceCheck.metadata(PLAN, P, COMPUTED));
        meta.remove(OutputLayout.META_FIGURES); // written before figures were recorded
        PartitionResult done = ProvenanceCheck.requireDone(prediction(meta), PLAN, P, LAYOUT);
        assertTrue(done.resumed());
        assertEquals(42, done.samples());
        assertEquals(0, done.computeSeconds());
        meta.put(OutputLayout.META_FIGURES, "batches=x compute=nan");
        assertEquals(0, ProvenanceCheck.requireDone(prediction(meta), PLAN, P, LAYOUT).computeSeconds());
    }

    @Test
    void eachDifferenceIsRefusedNamingItsField() {
        Map<String, String> meta = ProvenanceCheck.metadata(PLAN, P, COMPUTED);
        Plan retrained = OutputClaimTest.plan(JOB, OutputClaimTest.spec(OUT), new ModelObject("ffff0000", 100));
        BadInputException model = refused(retrained, P, meta);
        assertEquals("spec.model.uri", model.field());
        assertTrue(model.getMessage().contains("etag aaaa1111 -> ffff0000"), model.getMessage());

        // the same ETag in another format (a store that reuses ETags, or an ETag collision): a changed model all the same
        String etag = OutputClaimTest.MODEL.etag();
        Plan asOnnx = OutputClaimTest.plan(JOB, OutputClaimTest.spec(OUT), new ModelObject(etag, 100, "ONNX"));
        BadInputException format = refused(asOnnx, P, meta);
        assertEquals("spec.model.uri", format.field());
        assertTrue(format.getMessage().contains("ONNX:" + etag), format.getMessage());
        Map<String, String> onnxMeta = ProvenanceCheck.metadata(asOnnx, P, COMPUTED);
        assertEquals(42, ProvenanceCheck.requireDone(prediction(onnxMeta), asOnnx, P, LAYOUT).samples());
        Plan asTorchScript = OutputClaimTest.plan(JOB, OutputClaimTest.spec(OUT), new ModelObject(etag, 100, "TorchScript"));
        assertEquals(42, ProvenanceCheck.requireDone(prediction(meta), asTorchScript, P, LAYOUT).samples(),
                "a TorchScript model keeps the tag predictions recorded before formats were");
        assertEquals("spec.model.uri", refused(asTorchScript, P, onnxMeta).field());

        Plan renamed = OutputClaimTest.plan(JOB, OutputClaimTest.spec(OUT)
                .withModel(new ModelSpec("s3://m/model.pt", List.of("images"), List.of("other"))), OutputClaimTest.MODEL);
        assertEquals("spec.model", refused(renamed, P, meta).field());

        Plan keeping = OutputClaimTest.plan(JOB, OutputClaimTest.spec(OUT).withData(new io.dataparallel.api.spec.DataSpec(
                OutputClaimTest.spec(OUT).data().uri(), null, null, List.of("ids"))), OutputClaimTest.MODEL);
        assertEquals("spec.model", refused(keeping, P, meta).field(), "a prediction without the kept arrays is not this plan's");

        BadInputException partition = refused(PLAN, new Partition(P.key(), P.size(), "0123beef"), meta);
        assertEquals("spec.data.uri", partition.field());
        assertTrue(partition.getMessage().contains("partition 'p.npz' changed since " + OUT + "predictions/p.npz was written"
                + " (etag abc, 5 bytes -> etag 0123beef, 5 bytes)"), partition.getMessage());
        assertEquals("spec.data.uri", refused(PLAN, new Partition(P.key(), 6, P.etag()), meta).field());

        Map<String, String> otherJob = new HashMap<>(meta);
        otherJob.put(OutputLayout.META_JOB, "ns/someone-else");
        assertTrue(refused(PLAN, P, otherJob).getMessage().contains("written by job ns/someone-else"));

        Map<String, String> old = Map.of(OutputLayout.META_JOB, JOB.id(), OutputLayout.META_SAMPLES, "42");
        BadInputException legacy = refused(PLAN, P, old);
        assertEquals("spec.output.uri", legacy.field());
        assertTrue(legacy.getMessage().contains("records no provenance"), legacy.getMessage());
    }
}
