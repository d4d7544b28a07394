package io.dataparallel.worker;

import ai.djl.pytorch.jni.JniUtils;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.concurrent.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs a partition's batches on several replicas at once. Each replica is a thread that
 * takes the next batch number until none is left, with grad mode off and its own intra-op
 * thread count: both are per-thread in libtorch's OpenMP build that DJL ships (grad mode is
 * thread-local; {@code at::set_num_threads} sets the calling thread's OpenMP team size,
 * measured in bench/analysis.md §8), so replicas do not change each other's setting.
 */
final class ReplicaPool implements AutoCloseable {
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.named("replica"));

    /**
     * Calls {@code body} on {@code count} replicas at once (the first on the calling thread when
     * {@code count} is 1), each with {@code intraOpThreads} intra-op threads (0: as set). Its
     * argument hands out batch numbers 0, 1, 2, … once each, and stops handing out real ones
     * once a replica failed; the first failure is thrown here, after every replica stopped.
     */
    void run(int count, int intraOpThreads, Consumer<IntSupplier> body) {
        AtomicInteger next = new AtomicInteger();
        if (count == 1) {
            onThisThread(intraOpThreads, () -> body.accept(next::getAndIncrement));
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            running.add(threads.submit(() -> onThisThread(intraOpThreads, () -> {
                try {
                    body.accept(next::getAndIncrement);
                } catch (RuntimeException | Error e) {
                    next.set(Integer.MAX_VALUE / 2); // the others stop after their batch in flight
                    throw e;
                }
            })));
        }
        RuntimeException first = null;
        for (Future<?> f : running) {
            try {
                Futures.await(f, "running a partition's replicas");
            } catch (RuntimeException e) {
                next.set(Integer.MAX_VALUE / 2);
                first = first != null ? first : e;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void onThisThread(int intraOpThreads, Runnable work) {
        JniUtils.setGradMode(false); // thread-local in libtorch: inference needs no autograd graph
        int before = JniUtils.getNumThreads();
        if (intraOpThreads > 0 && intraOpThreads != before) {
            JniUtils.setNumThreads(intraOpThreads);
        }
        try {
            work.run();
        } finally {
            if (intraOpThreads > 0 && intraOpThreads != before) {
                JniUtils.setNumThreads(before); // the caller's thread goes on as it was
            }
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
