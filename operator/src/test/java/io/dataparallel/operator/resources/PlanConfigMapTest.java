package io.dataparallel.operator.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.DataSpec;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.OutputSpec;
import io.dataparallel.core.plan.PlanCodec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Issue 10 item 9: a plan a ConfigMap cannot hold is refused naming spec.data.fileLimit, not left for the API server to refuse. */
class PlanConfigMapTest {
    static final InferenceJobSpec SPEC = InferenceJobSpec.of(new ModelSpec("s3://m/model.pt", List.of("x"), null),
            new DataSpec("s3://d/in/", null, null), new OutputSpec("s3://d/out/")).withBatchSize(512);

    @Test
    void aPlanPastTheConfigMapLimitIsABadSpecNamingFileLimit() {
        Plan plan = plan(300_000);
        BadInputException e = assertThrows(BadInputException.class, () -> PlanConfigMap.build(job(), plan));
        assertEquals("spec.data.fileLimit", e.field());
        assertTrue(e.getMessage().contains("300000 partitions"), e.getMessage());
    }

    @Test
    void aLargePlanUnderTheLimitIsStoredAndReadBack() {
        Plan plan = plan(50_000);
        var cm = PlanConfigMap.build(job(), plan);
        assertEquals(plan, PlanConfigMap.read(cm));
        assertTrue(Base64.getDecoder().decode(cm.getBinaryData().get(WorkerLaunch.PLAN_FILE)).length <= PlanCodec.CONFIGMAP_LIMIT);
    }

    private static Plan plan(int n) {
        SplittableRandom random = new SplittableRandom(7);
        List<String> keys = new ArrayList<>(n);
        List<Long> sizes = new ArrayList<>(n);
        List<String> etags = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(String.format("in/partition-%07d.npz", i));
            sizes.add(1_000_000L + random.nextInt(1000));
            byte[] md5 = new byte[4];
            random.nextBytes(md5);
            etags.add(HexFormat.of().formatHex(md5));
        }
        return new Plan(Plan.VERSION, new JobRef("ns", "big", "u"), SPEC, 1, keys, sizes, etags, List.of(0, n), List.of());
    }

    private static InferenceJob job() {
        InferenceJob job = new InferenceJob();
        job.setMetadata(new ObjectMetaBuilder().withName("big").withNamespace("ns").withUid("u").build());
        return job;
    }
}
