package io.dataparallel.operator.config;

import io.dataparallel.core.sizing.Prices;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * Where the workers of a pool run and what they cost there, as the cluster admin defines it in
 * Helm values.
 *
 * @param nodeSelector node labels the workers require
 * @param tolerations  taints the workers tolerate
 * @param gpu          the pool has GPUs: workers ask for one {@code nvidia.com/gpu} each
 * @param prices       what a requested CPU, GiB of memory and GPU cost per hour there ({@code cpuHour},
 *                     {@code gibHour}, {@code gpuHour}); all 0 (the default) means unknown
 * @param workerSizes  the CPU and memory requests a worker may be given there when the operator sizes a job
 *                     ({@code spec.deadline} or {@code spec.budget}); empty means the default worker resources only
 */
public record NodePool(Map<String, String> nodeSelector, List<Toleration> tolerations, boolean gpu, Prices prices,
                       List<WorkerSize> workerSizes) {
    public NodePool {
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        prices = prices == null ? Prices.UNKNOWN : prices;
        workerSizes = workerSizes == null ? List.of() : List.copyOf(workerSizes);
    }

    /** A pool with no prices and no sizes: placement only. */
    public NodePool(Map<String, String> nodeSelector, List<Toleration> tolerations, boolean gpu) {
        this(nodeSelector, tolerations, gpu, null, null);
    }

    /**
     * One CPU and memory request a worker may get: the operator's sizing chooses among these.
     *
     * @param cpu    the CPU request, a Kubernetes quantity ("1", "500m")
     * @param memory the memory request, a Kubernetes quantity ("4Gi"); the limit is set to the same
     */
    public record WorkerSize(String cpu, String memory) {
        public WorkerSize {
            if (cpu == null || memory == null) {
                throw new IllegalArgumentException("a node pool's workerSizes entry needs both cpu and memory, got cpu=" + cpu
                        + ", memory=" + memory);
            }
        }

        public double cpus() {
            return Quantity.getAmountInBytes(new Quantity(cpu)).doubleValue();
        }

        public double memoryGiB() {
            return Quantity.getAmountInBytes(new Quantity(memory)).doubleValue() / (1L << 30);
        }

        /** As the sizing sees it: one GPU in a GPU pool. */
        public io.dataparallel.core.sizing.WorkerSize toSizing(boolean gpu) {
            return new io.dataparallel.core.sizing.WorkerSize(cpus(), memoryGiB(), gpu ? 1 : 0);
        }
    }
}
