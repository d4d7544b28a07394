package io.dataparallel.operator.resources;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.core.plan.PlanCodec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Base64;
import java.util.Map;

/**
 * The plan as an immutable ConfigMap owned by the InferenceJob, mounted into every worker:
 * once planned, a bucket that changes changes nothing.
 */
public final class PlanConfigMap {
    /** Annotation with the plan hash, so status can be rebuilt from the ConfigMap alone. */
    public static final String PLAN_HASH = "dataparallel.io/plan-hash";

    private PlanConfigMap() {
    }

    public static ConfigMap build(InferenceJob job, Plan plan) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(Children.planConfigMap(job))
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(Children.labels(job, Children.ROLE_PLAN))
                .withAnnotations(Map.of(PLAN_HASH, PlanCodec.hash(plan)))
                .withOwnerReferences(Children.owner(job))
                .endMetadata()
                .withImmutable(true)
                .withBinaryData(Map.of(PlanCodec.FILE_NAME, Base64.getEncoder().encodeToString(PlanCodec.encode(plan))))
                .build();
    }

    /** The plan a ConfigMap holds. */
    public static Plan read(ConfigMap configMap) {
        String data = configMap.getBinaryData() == null ? null : configMap.getBinaryData().get(PlanCodec.FILE_NAME);
        if (data == null) {
            throw new IllegalStateException("ConfigMap " + configMap.getMetadata().getName() + " holds no " + PlanCodec.FILE_NAME);
        }
        return PlanCodec.decode(Base64.getDecoder().decode(data));
    }
}
