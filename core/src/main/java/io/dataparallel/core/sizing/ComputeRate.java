package io.dataparallel.core.sizing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A worker's compute rate at any thread count, from the profiled points (see README, "Sizing from a
 * deadline"). For each (batch size, replicas) the seconds per sample {@code y} is taken as linear in
 * {@code 1/threads} (Amdahl's law: {@code y = serial + parallel/threads}) between neighbouring profiled
 * thread counts. Beyond the largest profiled count the last segment's line is extended, but never faster
 * than perfect scaling from that point and never slower than it; below the smallest the first segment's
 * line is extended, never faster than the smallest count measured. With one thread count profiled the
 * rate scales down in proportion to fewer threads and does not grow with more (the cautious reading).
 * A batch size that was not profiled takes the nearest profiled one (by ratio; the smaller on a tie).
 */
public final class ComputeRate {
    private final Map<Long, List<RatePoint>> byBatchAndReplicas = new TreeMap<>();
    private final TreeSet<Integer> batchSizes = new TreeSet<>();
    private final TreeSet<Integer> replicas = new TreeSet<>();

    public ComputeRate(List<RatePoint> points) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no compute rates profiled");
        }
        for (RatePoint p : points) {
            byBatchAndReplicas.computeIfAbsent(key(p.batchSize(), p.replicas()), k -> new ArrayList<>()).add(p);
            batchSizes.add(p.batchSize());
            replicas.add(p.replicas());
        }
        for (List<RatePoint> group : byBatchAndReplicas.values()) {
            group.sort(Comparator.comparingInt(RatePoint::threads));
            // the same thread count measured twice: keep the mean, so segments have distinct ends
            List<RatePoint> merged = new ArrayList<>();
            for (RatePoint p : group) {
                RatePoint last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && last.threads() == p.threads()) {
                    merged.set(merged.size() - 1, new RatePoint(p.batchSize(), p.threads(), p.replicas(),
                            (last.samplesPerSecond() + p.samplesPerSecond()) / 2));
                } else {
                    merged.add(p);
                }
            }
            group.clear();
            group.addAll(merged);
        }
    }

    private static long key(int batch, int replicas) {
        return ((long) batch << 20) | replicas;
    }

    /** The profiled batch sizes, ascending. */
    public List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** The profiled replica counts, ascending. */
    public List<Integer> replicas() {
        return List.copyOf(replicas);
    }

    /** The profiled batch size whose rates stand for {@code batch}. */
    public int nearestBatch(int batch) {
        Integer floor = batchSizes.floor(batch);
        Integer ceiling = batchSizes.ceiling(batch);
        if (floor == null) {
            return ceiling;
        }
        if (ceiling == null || floor.equals(ceiling)) {
            return floor;
        }
        return (double) batch / floor <= (double) ceiling / batch ? floor : ceiling;
    }

    /** The profiled replica count whose rates stand for {@code wanted}: the nearest, the smaller on a tie. */
    public int nearestReplicas(int wanted) {
        Integer floor = replicas.floor(wanted);
        Integer ceiling = replicas.ceiling(wanted);
        if (floor == null) {
            return ceiling;
        }
        if (ceiling == null || wanted - floor <= ceiling - wanted) {
            return floor;
        }
        return ceiling;
    }

    /**
     * Samples per second of one worker at {@code batch} with {@code replicas} replicas of
     * {@code threads} intra-op threads each.
     */
    public double samplesPerSecond(int batch, int replicasWanted, int threads) {
        List<RatePoint> group = byBatchAndReplicas.get(key(nearestBatch(batch), nearestReplicas(replicasWanted)));
        if (group == null) {
            // that batch was profiled with other replica counts only: the batch's first group stands in
            group = byBatchAndReplicas.entrySet().stream()
                    .filter(e -> (e.getKey() >> 20) == nearestBatch(batch)).findFirst().orElseThrow().getValue();
        }
        return 1 / secondsPerSample(group, threads);
    }

    private static double secondsPerSample(List<RatePoint> group, int threads) {
        RatePoint first = group.get(0);
        RatePoint last = group.get(group.size() - 1);
        if (group.size() == 1) {
            return y(first) * Math.max(1.0, (double) first.threads() / threads);
        }
        if (threads >= last.threads()) {
            double extended = line(group.get(group.size() - 2), last, threads);
            double perfect = y(last) * last.threads() / threads;
            return Math.min(y(last), Math.max(perfect, extended));
        }
        if (threads <= first.threads()) {
            return Math.max(y(first), line(first, group.get(1), threads));
        }
        for (int i = 1; i < group.size(); i++) {
            if (threads <= group.get(i).threads()) {
                return line(group.get(i - 1), group.get(i), threads);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static double y(RatePoint p) {
        return 1 / p.samplesPerSecond();
    }

    /** Seconds per sample on the line through {@code a} and {@code b} in (1/threads, seconds per sample). */
    private static double line(RatePoint a, RatePoint b, int threads) {
        double xa = 1.0 / a.threads();
        double xb = 1.0 / b.threads();
        double slope = (y(b) - y(a)) / (xb - xa);
        return y(a) + slope * (1.0 / threads - xa);
    }
}
