package io.dataparallel.worker.tuning;

import java.util.ArrayList;
import java.util.List;

/**
 * One way to compute: samples per forward call, replicas computing at once, intra-op threads
 * of each.
 *
 * @param batchSize         samples per forward call
 * @param replicas          replicas, 1 or more
 * @param threadsPerReplica intra-op threads of each, 1 or more
 */
public record Setting(int batchSize, int replicas, int threadsPerReplica) {
    public Setting {
        if (batchSize < 1 || replicas < 1 || threadsPerReplica < 1) {
            throw new IllegalArgumentException("batch " + batchSize + ", replicas " + replicas + " x threads " + threadsPerReplica);
        }
    }

    /**
     * {@code replicas} replicas (null: one) over {@code cpus} CPUs, each with {@code cpus / replicas}
     * threads (at least one). On the CPU replicas never outnumber the CPUs, so replicas × threads ≤ CPUs;
     * on a GPU they may, as the device does the work.
     */
    public static Setting split(int batchSize, Integer replicas, int cpus, boolean gpu) {
        int count = replicas == null ? 1 : replicas;
        if (!gpu) {
            count = Math.min(count, Math.max(1, cpus));
        }
        return new Setting(batchSize, count, Math.max(1, cpus / count));
    }

    /**
     * The replica counts worth timing on {@code cpus} CPUs: powers of two up to the CPUs (and the
     * CPUs themselves), so that each split uses every CPU it can; on a GPU 1, 2 and 4.
     */
    static List<Integer> replicaCandidates(int cpus, boolean gpu) {
        List<Integer> counts = new ArrayList<>();
        int most = gpu ? 4 : Math.max(1, cpus);
        for (int r = 1; r <= most; r *= 2) {
            counts.add(r);
        }
        if (!counts.contains(most)) {
            counts.add(most);
        }
        return counts;
    }

    /** The batch sizes worth timing on a first partition of {@code rows} rows: 16 to 1,024 by doubling, those that fit in it. */
    static List<Integer> batchCandidates(long rows) {
        List<Integer> sizes = new ArrayList<>();
        for (int b = 16; b <= 1024 && b <= rows; b *= 2) {
            sizes.add(b);
        }
        if (sizes.isEmpty()) {
            sizes.add((int) Math.max(1, rows)); // a partition smaller than the smallest candidate: one batch of it all
        }
        return sizes;
    }
}
