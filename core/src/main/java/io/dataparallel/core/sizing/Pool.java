package io.dataparallel.core.sizing;

import java.util.List;

/**
 * Where the workers run, as the sizing sees it: the operator fills it from a node pool's Helm
 * values, local mode from its flags and this machine.
 *
 * @param name         the node pool (locally {@code local})
 * @param prices       its prices
 * @param sizes        the worker sizes a worker may request there, in the order to prefer on ties
 * @param maxTotalCpus CPUs all workers together may hold at once; 0 = no limit (a cluster that scales).
 *                     Locally it is this machine's cores, so no worker waits for another
 */
public record Pool(String name, Prices prices, List<WorkerSize> sizes, double maxTotalCpus) {
    public Pool {
        sizes = List.copyOf(sizes);
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("node pool '" + name + "' has no worker sizes");
        }
        if (!(maxTotalCpus >= 0)) {
            throw new IllegalArgumentException("maxTotalCpus must be 0 (no limit) or positive");
        }
    }
}
