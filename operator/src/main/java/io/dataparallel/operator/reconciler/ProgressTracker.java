package io.dataparallel.operator.reconciler;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Progress;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.operator.s3.StoreAccess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;

/**
 * A running job's progress from its workers' {@code progress/<rank>.json}, read at most once
 * per polling interval and at most {@link #READS_PER_POLL} files at a time (round robin),
 * so a 10,000-worker job costs the store a bounded request rate. Ranks the Job controller
 * reports complete are read once more at most: all their partitions are done.
 *
 * <p>A job's state is freed when the job ends (Succeeded or Failed) and, for a job deleted
 * while it ran, once it has not been polled for {@link #UNPOLLED_EXPIRY}: the reconciler has
 * no finalizer (one would hold every deletion up while the operator is down), so JOSDK never
 * tells it of a deletion, and a deleted job is simply never reconciled again.
 */
final class ProgressTracker {
    static final int READS_PER_POLL = 256;
    /**
     * A running or suspended job is polled every polling interval; one not polled for this long
     * (and for ten intervals) is gone. Should it come back after all, its progress is read again.
     */
    static final Duration UNPOLLED_EXPIRY = Duration.ofMinutes(30);
    /** How often the states are swept for expired ones: sweeping on every poll would cost jobs squared. */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    /** Partitions done, samples done and samples computed in this run, all ranks. */
    record Snapshot(int partitionsDone, long samplesDone, long computedSamples) {
    }

    private static final class State {
        volatile long lastPollNanos = Long.MIN_VALUE; // read by the sweep on other threads
        int cursor;
        final Map<Integer, Progress> byRank = new HashMap<>();
        private String planHash;

        /** The job's plan never changes once stored, so its hash (a digest of every key) is taken once. */
        String planHash(Plan plan) {
            if (planHash == null) {
                planHash = PlanCodec.hash(plan);
            }
            return planHash;
        }
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final AtomicLong lastSweepNanos;

    ProgressTracker() {
        this(System::nanoTime);
    }

    /** With a clock of its own, so that tests can let time pass. */
    ProgressTracker(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.lastSweepNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /** A fresh snapshot when a poll is due, else empty (the status keeps the last one). */
    Optional<Snapshot> poll(InferenceJob job, Plan plan, OutputLayout output, Set<Integer> completedRanks, StoreAccess stores,
                            Duration interval) {
        long now = nanoClock.getAsLong();
        sweep(now, interval);
        State state = states.computeIfAbsent(job.getMetadata().getUid(), k -> new State());
        if (state.lastPollNanos != Long.MIN_VALUE && now - state.lastPollNanos < interval.toNanos()) {
            return Optional.empty();
        }
        state.lastPollNanos = now;
        List<Integer> pending = IntStream.range(0, plan.worldSize())
                // a completed rank is read once more, for its final samples
                .filter(r -> !completedRanks.contains(r) || !isDone(state.byRank.get(r))).boxed().toList();
        if (!pending.isEmpty()) {
            try (ObjectStore store = stores.open(job)) {
                int reads = Math.min(READS_PER_POLL, pending.size());
                for (int i = 0; i < reads; i++) {
                    int rank = pending.get((state.cursor + i) % pending.size());
                    store.getIfExists(output.progress(rank), OutputLayout.FIELD).map(b -> Json.read(b, Progress.class))
                            .filter(p -> p.belongsTo(state.planHash(plan))) // an earlier run's file: its rank owned others
                            .ifPresent(p -> state.byRank.put(rank, p));
                }
                state.cursor = (state.cursor + reads) % pending.size();
            }
        }
        int done = plan.resumed().size(); // done by an earlier run, in no rank
        long samples = 0;
        long computed = 0;
        for (int r = 0; r < plan.worldSize(); r++) {
            Progress p = state.byRank.get(r);
            if (completedRanks.contains(r)) {
                done += plan.partitionsOf(r).size();
            } else if (p != null) {
                done += p.partitionsDone();
            }
            if (p != null) {
                samples += p.samplesDone();
                computed += p.computedSamples();
            }
        }
        return Optional.of(new Snapshot(done, samples, computed));
    }

    private static boolean isDone(Progress p) {
        return p != null && Progress.DONE.equals(p.state());
    }

    /** Called after every reconcile pass: a job that ended needs its progress no more. */
    void passEnded(InferenceJob job, Phase phase) {
        if (phase == Phase.Succeeded || phase == Phase.Failed) {
            states.remove(job.getMetadata().getUid());
        }
    }

    /** Jobs with progress state. */
    int tracked() {
        return states.size();
    }

    private void sweep(long now, Duration interval) {
        long last = lastSweepNanos.get();
        if (now - last < SWEEP_EVERY.toNanos() || !lastSweepNanos.compareAndSet(last, now)) {
            return;
        }
        long expiry = Math.max(UNPOLLED_EXPIRY.toNanos(), interval.multipliedBy(10).toNanos());
        states.values().removeIf(s -> s.lastPollNanos != Long.MIN_VALUE && now - s.lastPollNanos > expiry);
    }
}
