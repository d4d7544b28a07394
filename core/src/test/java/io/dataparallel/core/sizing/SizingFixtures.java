package io.dataparallel.core.sizing;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A profile whose figures make the predictions easy to do by hand: 1,000-byte partitions of 1,000
 * samples read at 1,000 B/s (1 s each), 100 samples/s on one thread and 200 on two (10 s or 5 s each),
 * 5 s of start-up. One CPU: 11 s per partition; two: 6 s.
 */
final class SizingFixtures {
    static final WorkerSize ONE = new WorkerSize(1, 2, 0);
    static final WorkerSize TWO = new WorkerSize(2, 4, 0);
    static final Prices CPU_HOUR = new Prices(1, 0, 0);

    private SizingFixtures() {
    }

    static Profile profile() {
        return new Profile(Profile.VERSION, new ProfileKey("etag", "local", "cpu", "x=[4]", "test"),
                "2026-12-02T07:00:00Z", 5, 1000, 1000, 1000, 0,
                List.of(new RatePoint(64, 1, 1, 100), new RatePoint(64, 2, 1, 200)));
    }

    static long[] partitions(int n, long bytes) {
        long[] sizes = new long[n];
        Arrays.fill(sizes, bytes);
        return sizes;
    }

    static Pool pool(Prices prices) {
        return new Pool("local", prices, List.of(ONE, TWO), 0);
    }

    static SizingRequest request(Fixed fixed, Duration deadline, Double budget) {
        return new SizingRequest(profile(), partitions(10, 1000), pool(CPU_HOUR), fixed, new Goal(deadline, budget), 0,
                List.of());
    }
}
