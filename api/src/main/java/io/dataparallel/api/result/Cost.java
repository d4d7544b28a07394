package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What a job cost: {@code summary.json}'s {@code cost}. The summarizer knows what the workers
 * used ({@code podSeconds}, {@code cpuSeconds}, {@code gpuSeconds}); the operator, which knows
 * each pod's requests and the node pool's prices, adds the billed amounts: billed cost =
 * requested resources × pod wall time × price, summed over the worker, summarizer and profiling
 * pods. Without prices (all 0 in the Helm values) {@code billed} is absent and the seconds are
 * the cost.
 *
 * @param podSeconds wall seconds of the pods listed in {@code pods} (the workers' alone until the operator adds the others)
 * @param cpuSeconds process CPU time the workers actually used
 * @param gpuSeconds wall seconds the workers held a GPU; 0 on CPU
 * @param billed     total billed cost in the node pool's currency; absent when its prices are unknown
 * @param pods       the billed cost by role (worker, summarizer, profiling); absent until the operator adds it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cost(double podSeconds, double cpuSeconds, double gpuSeconds, Double billed, List<PodCost> pods) {
    public Cost {
        pods = pods == null ? null : List.copyOf(pods);
    }

    /**
     * Several runs' costs as one: seconds and billed amounts added (billed only where every run's is known: a run not
     * billed yet leaves the total unknown until it is), and
     * the pods of a role added where each requested the same, listed apart where they did not. Null costs (runs that
     * recorded none) are left out.
     */
    public static Cost sum(List<Cost> costs) {
        List<Cost> known = costs.stream().filter(java.util.Objects::nonNull).toList();
        if (known.isEmpty()) {
            return null;
        }
        double podSeconds = 0;
        double cpu = 0;
        double gpu = 0;
        double billed = 0;
        boolean priced = true;
        java.util.Map<List<Object>, PodCost> byRequest = new java.util.LinkedHashMap<>();
        boolean anyPods = false;
        for (Cost c : known) {
            podSeconds += c.podSeconds();
            cpu += c.cpuSeconds();
            gpu += c.gpuSeconds();
            priced &= c.billed() != null;
            billed += c.billed() == null ? 0 : c.billed();
            if (c.pods() != null) {
                anyPods = true;
                for (PodCost p : c.pods()) {
                    byRequest.merge(List.of(p.role(), p.cpus(), p.memoryGib(), p.gpus()), p, PodCost::plus);
                }
            }
        }
        return new Cost(podSeconds, cpu, gpu, priced ? billed : null, anyPods ? List.copyOf(byRequest.values()) : null);
    }

    /**
     * The pods of one role and what they cost.
     *
     * @param role      worker, summarizer or profiling
     * @param pods      how many pods (ranks for workers)
     * @param seconds   their wall seconds, summed
     * @param cpus      CPUs each requested
     * @param memoryGib GiB of memory each requested
     * @param gpus      GPUs each requested
     * @param billed    requests × seconds × prices; absent when the prices are unknown
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PodCost(String role, int pods, double seconds, double cpus, double memoryGib, double gpus, Double billed) {
        /** This role's pods and {@code other}'s (same requests) together. */
        PodCost plus(PodCost other) {
            Double both = billed == null || other.billed == null ? null : billed + other.billed;
            return new PodCost(role, pods + other.pods, seconds + other.seconds, cpus, memoryGib, gpus, both);
        }
    }
}
