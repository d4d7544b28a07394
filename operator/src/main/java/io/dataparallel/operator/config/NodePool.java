package io.dataparallel.operator.config;

import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * Where the workers of a pool run, as the cluster admin defines it in Helm values.
 *
 * @param nodeSelector node labels the workers require
 * @param tolerations  taints the workers tolerate
 * @param gpu          the pool has GPUs: workers ask for one {@code nvidia.com/gpu} each
 */
public record NodePool(Map<String, String> nodeSelector, List<Toleration> tolerations, boolean gpu) {
    public NodePool {
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    }
}
