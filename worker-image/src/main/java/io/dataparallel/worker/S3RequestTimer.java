package io.dataparallel.worker;

import java.util.function.Supplier;

/**
 * Counts and times the store requests a worker makes for its partitions (the provenance HEAD,
 * the partition GET, the quality and prediction PUTs), for CAI's {@code s3_*} execution-info
 * fields. Progress and result writes are bookkeeping, not the partitions' I/O, and are not
 * counted. A request is one store call, its client retries included. Thread-safe: the prefetch
 * and upload threads time their calls here.
 */
final class S3RequestTimer {
    private long count;
    private long totalNanos;
    private long minNanos = Long.MAX_VALUE;
    private long maxNanos;
    private long firstStartMs = Long.MAX_VALUE;
    private long lastEndMs;

    /** Runs {@code request} and records how long it took, failed or not. */
    <T> T time(Supplier<T> request) {
        long startMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        try {
            return request.get();
        } finally {
            record(startMs, System.nanoTime() - t0);
        }
    }

    private synchronized void record(long startMs, long nanos) {
        count++;
        totalNanos += nanos;
        minNanos = Math.min(minNanos, nanos);
        maxNanos = Math.max(maxNanos, nanos);
        firstStartMs = Math.min(firstStartMs, startMs);
        lastEndMs = Math.max(lastEndMs, startMs + nanos / 1_000_000);
    }

    /** What was recorded so far; all zero when no request was made. */
    synchronized Stats stats() {
        if (count == 0) {
            return new Stats(0, 0, 0, 0, 0, 0, 0);
        }
        double total = totalNanos / 1e9;
        return new Stats(count, total, total / count, minNanos / 1e9, maxNanos / 1e9, firstStartMs / 1000.0, lastEndMs / 1000.0);
    }

    /**
     * CAI's meanings: seconds per request, and the first request's start and the last
     * response's end as epoch seconds (Python's {@code time.time()}).
     */
    record Stats(long numRequests, double totalTime, double avgTime, double minTime, double maxTime,
                 double firstRequestTime, double lastResponseTime) {
    }
}
