package io.dataparallel.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlanCodecTest {
    static final InferenceJobSpec SPEC = InferenceJobSpec.of(new ModelSpec("s3://models/astro/redshift.pt",
            List.of("images", "magnitudes"), List.of("redshift_pred")), new DataSpec("s3://cosmicai-data/100MB/", null, "redshift"),
            new OutputSpec("s3://cosmicai-data/results/run-1/")).withBatchSize(512);

    /**
     * The plan ConfigMap must hold 100,000 partitions: ConfigMap data is limited to 1 MiB.
     * Sizes vary by ±10 % and ETags are random, as real MD5 ETags are, so only the key
     * names compress well.
     */
    @Test
    void oneHundredThousandPartitionsFitInAConfigMap() {
        int n = 100_000;
        SplittableRandom random = new SplittableRandom(42);
        List<String> keys = new ArrayList<>(n);
        List<Long> sizes = new ArrayList<>(n);
        List<String> etags = new ArrayList<>(n);
        long[] sizeArray = new long[n];
        for (int i = 0; i < n; i++) {
            keys.add(String.format("survey-2026/band-all/partition-%06d.npz", i));
            sizeArray[i] = 95_000_000L + random.nextInt(10_000_000);
            sizes.add(sizeArray[i]);
            byte[] md5 = new byte[16];
            random.nextBytes(md5);
            etags.add(Planner.fingerprint(HexFormat.of().formatHex(md5)));
        }
        int workers = 10_000;
        List<Integer> starts = new ArrayList<>();
        for (int s : RankAssigner.assign(sizeArray, workers)) {
            starts.add(s);
        }
        Plan plan = new Plan(Plan.VERSION, new JobRef("astro", "big", "u"), SPEC, workers, keys, sizes, etags, starts, List.of());
        byte[] encoded = PlanCodec.encode(plan);
        assertTrue(encoded.length < PlanCodec.CONFIGMAP_LIMIT, "plan of 100,000 partitions is " + encoded.length + " bytes");
        Plan back = PlanCodec.decode(encoded);
        assertEquals(plan, back);
        assertEquals(10, back.partitionsOf(1234).size());
    }

    @Test
    void theHashIgnoresWhoOwnsThePlanButNotWhatItComputes() {
        Plan a = new Plan(1, new JobRef("ns", "a", "1"), SPEC, 1, List.of("p.npz"), List.of(5L), List.of("abc"), List.of(0, 1), List.of());
        Plan b = new Plan(1, new JobRef("ns", "a", "2"), SPEC, 1, List.of("p.npz"), List.of(5L), List.of("abc"), List.of(0, 1), List.of());
        Plan c = new Plan(1, new JobRef("ns", "a", "1"), SPEC, 1, List.of("p.npz"), List.of(6L), List.of("abc"), List.of(0, 1), List.of());
        assertEquals(PlanCodec.hash(a), PlanCodec.hash(b));
        assertNotEquals(PlanCodec.hash(a), PlanCodec.hash(c));
    }
}
