package io.dataparallel.core.sizing;

import io.dataparallel.api.spec.InferenceJobSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The fields the user set in the spec: the search keeps them and chooses only the rest. Null = free.
 *
 * @param workers   {@code spec.workers}
 * @param batchSize {@code spec.batchSize}
 * @param replicas  {@code spec.replicas}
 * @param cpus      {@code spec.resources.requests.cpu} (or the limit when no request is given)
 * @param memoryGiB {@code spec.resources.requests.memory} (or the limit)
 */
public record Fixed(Integer workers, Integer batchSize, Integer replicas, Double cpus, Double memoryGiB) {
    public static final Fixed NONE = new Fixed(null, null, null, null, null);
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** What {@code spec} fixes. */
    public static Fixed from(InferenceJobSpec spec) {
        return new Fixed(spec.workers(), spec.batchSize(), spec.replicas(), quantity(spec.resources(), "cpu", 1),
                quantity(spec.resources(), "memory", GIB));
    }

    private static Double quantity(ResourceRequirements resources, String name, double unit) {
        if (resources == null) {
            return null;
        }
        Quantity q = pick(resources.getRequests(), name);
        if (q == null) {
            q = pick(resources.getLimits(), name);
        }
        if (q == null) {
            return null;
        }
        BigDecimal amount = Quantity.getAmountInBytes(q);
        return amount.doubleValue() / unit;
    }

    private static Quantity pick(Map<String, Quantity> map, String name) {
        return map == null ? null : map.get(name);
    }
}
