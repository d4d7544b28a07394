package io.dataparallel.worker;

import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.core.concurrent.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Runs a partition's batches on several replicas at once. Each replica is a thread that
 * takes the next batch number until none is left, set up by the model's engine
 * ({@link ThreadSetup}: libtorch's grad mode and intra-op threads are per thread, so replicas
 * do not change each other's setting; ONNX Runtime's are per session).
 */
final class ReplicaPool implements AutoCloseable {
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.named("replica"));

    /** How a replica's thread is set up for its work: {@link LoadedModel#onReplicaThread}. */
    interface ThreadSetup {
        void onReplicaThread(int intraOpThreads, Runnable work);
    }

    /** A replica's work: its number (0-based) and the batch numbers it takes. */
    interface Body {
        void run(int replica, IntSupplier nextBatch);
    }

    /**
     * Calls {@code body} on {@code count} replicas at once (the first on the calling thread when
     * {@code count} is 1), each set up by {@code setup} with {@code intraOpThreads} intra-op threads (0: as set). Its
     * argument hands out batch numbers 0, 1, 2, … once each, and stops handing out real ones
     * once a replica failed; the first failure is thrown here, after every replica stopped.
     */
    void run(int count, int intraOpThreads, ThreadSetup setup, Body body) {
        AtomicInteger next = new AtomicInteger();
        if (count == 1) {
            setup.onReplicaThread(intraOpThreads, () -> body.run(0, next::getAndIncrement));
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            int replica = r;
            running.add(threads.submit(() -> setup.onReplicaThread(intraOpThreads, () -> {
                try {
                    body.run(replica, next::getAndIncrement);
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

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
