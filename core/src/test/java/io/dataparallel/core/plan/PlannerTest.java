package io.dataparallel.core.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputFormat;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.S3Clients;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

class PlannerTest {
    static final JobRef JOB = new JobRef("ns", "job", "uid");
    /** More than two pages of ListObjectsV2 (1,000 keys each). */
    static final int MANY = 2_100;

    @TempDir
    static Path tmp;
    static S3Fixture s3;
    static Planner planner;

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3Fixture(tmp);
        planner = new Planner(s3.store(), 10_000);
        s3.createBucket("data");
        s3.createBucket("models");
        s3.put("s3://models/model.pt", modelBytes("model bytes"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 0; i < MANY; i++) {
            // written out of order and with uneven sizes: the plan sorts by key and balances by bytes
            int index = (i * 7919) % MANY;
            byte[] body = new byte[1 + index % 50];
            puts.add(pool.submit(() -> s3.put(String.format("s3://data/many/part-%05d.npz", index), body)));
        }
        for (Future<?> f : puts) {
            f.get();
        }
        pool.shutdown();
        s3.put("s3://data/many/README.txt", "ignored".getBytes());
        s3.put("s3://data/many-old/part-00000.npz", "a sibling prefix, not ours".getBytes());
        s3.put("s3://data/text-only/a.txt", "x".getBytes());
        for (int i = 0; i < 11; i++) {
            s3.put("s3://data/eleven/p" + (char) ('a' + i) + ".npz", new byte[100 + i]);
        }
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    static InferenceJobSpec spec(String data, Integer fileLimit, Integer workers) {
        return InferenceJobSpec.of(new ModelSpec("s3://models/model.pt", List.of("x"), null), new DataSpec(data, fileLimit, null),
                new OutputSpec("s3://out/x/")).withWorkers(workers).withS3(s3.spec());
    }

    @Test
    void listsEveryPageSortsKeysAndIgnoresOtherObjects() {
        Plan plan = planner.plan(JOB, spec("s3://data/many", null, 16));
        assertEquals(MANY, plan.partitionCount());
        for (int i = 0; i < MANY; i++) {
            assertEquals(String.format("part-%05d.npz", i), plan.keys().get(i));
            assertEquals(1 + i % 50, plan.sizes().get(i));
        }
        assertEquals(16, plan.worldSize());
        assertEquals(Plan.ETAG_CHARS, plan.etags().get(0).length());
        assertEquals(15, plan.model().size()); // the zip magic and "model bytes"
        assertEquals("TorchScript", plan.model().format());
    }

    @Test
    void everyPartitionFormatIsTakenAndTwoThatWouldShareAPredictionAreRefused() {
        for (String key : List.of("a.npz", "b.h5", "c.hdf5", "d.fits", "e.fit", "f.fits.gz", "g.parquet", "h.tar", "notes.txt", "i.csv")) {
            s3.put("s3://data/formats/" + key, new byte[] {1});
        }
        Plan plan = planner.plan(JOB, spec("s3://data/formats/", null, null));
        assertEquals(List.of("a.npz", "b.h5", "c.hdf5", "d.fits", "e.fit", "f.fits.gz", "g.parquet", "h.tar"), plan.keys());
        s3.put("s3://data/clash/p.fits", new byte[] {1});
        s3.put("s3://data/clash/p.fits.npz", new byte[] {1});
        BadInputException e = assertThrows(BadInputException.class, () -> planner.plan(JOB, spec("s3://data/clash/", null, null)));
        assertEquals("spec.data.uri", e.field());
        assertTrue(e.getMessage().contains("'p.fits' and 'p.fits.npz' would both write predictions/p.fits.npz"), e.getMessage());
        // as Parquet the predictions are p.fits.parquet and p.fits.npz.parquet; their quality data would still share one .npz
        InferenceJobSpec parquet = spec("s3://data/clash/", null, null).withOutput(new OutputSpec("s3://out/x/", OutputFormat.parquet));
        assertEquals(List.of("p.fits", "p.fits.npz"), planner.plan(JOB, parquet).keys());
        BadInputException labelled = assertThrows(BadInputException.class,
                () -> planner.plan(JOB, parquet.withData(new DataSpec("s3://data/clash/", null, "y"))));
        assertTrue(labelled.getMessage().contains("'p.fits' and 'p.fits.npz' would both write quality/p.fits.npz"), labelled.getMessage());
    }

    @Test
    void aMissingModelIsRefusedNamingIt() {
        BadInputException e = assertThrows(BadInputException.class, () -> planner.plan(JOB,
                spec("s3://data/eleven/", null, 1).withModel(new ModelSpec("s3://models/none.pt", List.of("x"), null))));
        assertEquals("spec.model.uri: s3://models/none.pt does not exist: upload it or fix the URI", e.getMessage());
    }

    @Test
    void aChangedModelChangesThePlanHash() {
        Plan before = planner.plan(JOB, spec("s3://data/eleven/", null, 1));
        s3.put("s3://models/model.pt", modelBytes("retrained model"));
        try {
            Plan after = planner.plan(JOB, spec("s3://data/eleven/", null, 1));
            assertNotEquals(before.model(), after.model());
            assertNotEquals(PlanCodec.hash(before), PlanCodec.hash(after));
        } finally {
            s3.put("s3://models/model.pt", modelBytes("model bytes"));
        }
    }

    @Test
    void theSameListingGivesTheSamePlan() {
        Plan a = planner.plan(JOB, spec("s3://data/many/", null, 7));
        Plan b = planner.plan(JOB, spec("s3://data/many/", null, 7));
        assertArrayEquals(PlanCodec.encode(a), PlanCodec.encode(b));
        assertEquals(PlanCodec.hash(a), PlanCodec.hash(b));
        assertEquals(a, PlanCodec.decode(PlanCodec.encode(a)));
    }

    @Test
    void fileLimitTakesTheFirstKeysInLexicalOrder() {
        Plan plan = planner.plan(JOB, spec("s3://data/many/", 11, 4));
        assertEquals(11, plan.partitionCount());
        assertEquals("part-00010.npz", plan.keys().get(10));
        assertEquals(4, plan.worldSize());
        assertEquals(11, plan.partitionsOf(0).size() + plan.partitionsOf(1).size() + plan.partitionsOf(2).size()
                + plan.partitionsOf(3).size());
    }

    @Test
    void aPartitionKeyWithADotSegmentIsRefusedBeforeItsPredictionCouldLandOutsideTheOutput() {
        // S3 keeps such a key as written (the embedded store cannot hold it): a listing that returns it
        S3Client lister = new S3Client() {
            @Override
            public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
                return ListObjectsV2Response.builder().isTruncated(false).contents(
                        S3Object.builder().key("dots/a.npz").size(10L).eTag("\"e1\"").build(),
                        S3Object.builder().key("dots/sub/../../escape.npz").size(10L).eTag("\"e2\"").build()).build();
            }

            @Override
            public String serviceName() {
                return "s3";
            }

            @Override
            public void close() {
            }
        };
        BadInputException e = assertThrows(BadInputException.class,
                () -> new Planner(ObjectStore.borrowing(lister), 8).plan(JOB, spec("s3://data/dots/", null, null)));
        assertEquals("spec.data.uri", e.field());
        assertTrue(e.getMessage().contains("'dots/sub/../../escape.npz' has a '.' or '..' segment"), e.getMessage());
    }

    @Test
    void fileLimitAboveTheCountSaysHowManyExist() {
        BadInputException e = assertThrows(BadInputException.class, () -> planner.plan(JOB, spec("s3://data/eleven/", 12, null)));
        assertEquals("spec.data.fileLimit", e.field());
        assertTrue(e.getMessage().contains("only 11 partitions"), e.getMessage());
    }

    @Test
    void moreWorkersThanPartitionsRunsOnePerPartitionAndSaysSo() {
        Plan plan = planner.plan(JOB, spec("s3://data/eleven/", null, 20));
        assertEquals(11, plan.worldSize());
        assertTrue(plan.notes().get(0).contains("spec.workers is 20 but there are 11 partitions"));
        Plan defaulted = planner.plan(JOB, spec("s3://data/eleven/", null, null));
        assertEquals(11, defaulted.worldSize());
        assertEquals(3, new Planner(s3.store(), 3).plan(JOB, spec("s3://data/eleven/", null, null)).worldSize());
    }

    @Test
    void emptyPrefixMissingBucketAndNoNpzAreNamed() {
        BadInputException empty = assertThrows(BadInputException.class, () -> planner.plan(JOB, spec("s3://data/nothing-here/", null, null)));
        assertEquals("spec.data.uri", empty.field());
        assertTrue(empty.getMessage().contains("no objects under s3://data/nothing-here/"));
        BadInputException noNpz = assertThrows(BadInputException.class, () -> planner.plan(JOB, spec("s3://data/text-only/", null, null)));
        assertTrue(noNpz.getMessage().contains("none is a partition: partitions end in .npz, .h5, .hdf5, .fits"), noNpz.getMessage());
        BadInputException bucket = assertThrows(BadInputException.class, () -> planner.plan(JOB, spec("s3://no-such-bucket/x/", null, null)));
        assertEquals("spec.data.uri", bucket.field());
        assertTrue(bucket.getMessage().contains("bucket 'no-such-bucket' does not exist"), bucket.getMessage());
    }

    @Test
    void wrongCredentialsAreNamed() {
        Map<String, String> env = new HashMap<>(s3.env());
        env.put(WorkerLaunch.SECRET_ACCESS_KEY, "nope");
        S3Spec s3spec = s3.spec();
        try (ObjectStore wrong = new ObjectStore(S3Clients.create(s3spec, env))) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> new Planner(wrong, 10).plan(JOB, spec("s3://data/eleven/", null, null)));
            assertEquals("spec.s3.credentialsSecret", e.field());
        }
    }

    /** Bytes the planner takes for a TorchScript model: a zip's first bytes, then {@code text}. */
    static byte[] modelBytes(String text) {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = new byte[4 + body.length];
        bytes[0] = 'P';
        bytes[1] = 'K';
        bytes[2] = 3;
        bytes[3] = 4;
        System.arraycopy(body, 0, bytes, 4, body.length);
        return bytes;
    }
}
