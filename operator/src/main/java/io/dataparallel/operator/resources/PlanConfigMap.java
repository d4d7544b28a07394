package io.dataparallel.operator.resources;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
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
    private PlanConfigMap() {
    }

    /**
     * The ConfigMap holding {@code plan}; a plan larger than a ConfigMap may hold is a bad spec
     * (the API server would refuse the create and the job would stay in Planning), refused here,
     * before anything is created or claimed, with how many partitions would fit.
     */
    public static ConfigMap build(InferenceJob job, Plan plan) {
        byte[] encoded = PlanCodec.encode(plan);
        if (encoded.length > PlanCodec.CONFIGMAP_LIMIT) {
            long fits = (long) (plan.partitionCount() * 0.95 * PlanCodec.CONFIGMAP_LIMIT / encoded.length);
            throw new BadInputException("spec.data.fileLimit", "the plan of " + plan.partitionCount() + " partitions is "
                    + encoded.length + " bytes compressed, more than the " + PlanCodec.CONFIGMAP_LIMIT
                    + " bytes a ConfigMap holds: set spec.data.fileLimit to about " + fits
                    + " or less, or split the partitions under several prefixes into several InferenceJobs");
        }
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(Children.planConfigMap(job))
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(Children.labels(job, Children.ROLE_PLAN))
                .withOwnerReferences(Children.owner(job))
                .endMetadata()
                .withImmutable(true)
                .withBinaryData(Map.of(WorkerLaunch.PLAN_FILE, Base64.getEncoder().encodeToString(encoded)))
                .build();
    }

    /** The plan a ConfigMap holds. */
    public static Plan read(ConfigMap configMap) {
        String data = configMap.getBinaryData() == null ? null : configMap.getBinaryData().get(WorkerLaunch.PLAN_FILE);
        if (data == null) {
            throw new IllegalStateException("ConfigMap " + configMap.getMetadata().getName() + " holds no " + WorkerLaunch.PLAN_FILE);
        }
        return PlanCodec.decode(Base64.getDecoder().decode(data));
    }
}
