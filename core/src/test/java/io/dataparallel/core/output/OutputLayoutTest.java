package io.dataparallel.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.OutputFormat;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictions are named by spec.output.format, and a plan resumes only from predictions of its own format. */
class OutputLayoutTest {
    static final OutputLayout NPZ = OutputLayout.of("s3://out/x");
    static final OutputLayout PARQUET = OutputLayout.of(new OutputSpec("s3://out/x", OutputFormat.parquet));

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

    @Test
    void predictionsAreNamedByTheFormatAndQualityDataStaysNpz() {
        assertEquals(OutputFormat.npz, NPZ.format());
        assertEquals("s3://out/x/predictions/p.npz", NPZ.prediction("p.npz").toString());
        assertEquals("s3://out/x/predictions/sub/p.fits.gz.npz", NPZ.prediction("sub/p.fits.gz").toString());
        assertEquals("s3://out/x/predictions/p.npz.parquet", PARQUET.prediction("p.npz").toString());
        assertEquals("s3://out/x/predictions/sub/p.fits.gz.parquet", PARQUET.prediction("sub/p.fits.gz").toString());
        assertEquals("s3://out/x/predictions/p.parquet.parquet", PARQUET.prediction("p.parquet").toString());
        assertEquals("s3://out/x/quality/p.fits.gz.npz", PARQUET.quality("p.fits.gz").toString());
        assertEquals(NPZ.quality("p.npz"), PARQUET.quality("p.npz"));
    }

    @Test
    void aPlanResumesFromPredictionsOfItsOwnFormatOnly() {
        String out = "s3://out/resume/";
        Plan plan = OutputClaimTest.plan(new JobRef("ns", "j", "u"),
                OutputClaimTest.spec(out).withOutput(new OutputSpec(out, OutputFormat.parquet)), OutputClaimTest.MODEL);
        OutputLayout layout = OutputLayout.of(plan.spec().output());
        Map<String, String> meta = ProvenanceCheck.metadata(plan, plan.partition(0), ProvenanceCheckTest.COMPUTED);
        // the .npz a run of the other format left, with the same provenance: another name, so not this plan's
        s3.store().put(OutputLayout.of(out).prediction("p.npz"), new byte[] {1}, "application/octet-stream", meta, false, "t");
        assertTrue(ResumeScan.doneEarlier(s3.store(), layout, plan).isEmpty());
        s3.store().put(layout.prediction("p.npz"), new byte[] {1}, Predictions.contentType(OutputFormat.parquet), meta, false, "t");
        assertEquals(List.of(0), List.copyOf(ResumeScan.doneEarlier(s3.store(), layout, plan).keySet()));
        assertEquals(42, ResumeScan.doneEarlier(s3.store(), layout, plan).get(0).samples());
        assertEquals(0, ResumeScan.resume(s3.store(), layout, plan).worldSize(), "its one partition is done: no worker starts");
    }
}
