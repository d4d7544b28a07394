package io.dataparallel.bench;

import io.dataparallel.core.sizing.Fixed;
import io.dataparallel.core.sizing.Goal;
import io.dataparallel.core.sizing.Pool;
import io.dataparallel.core.sizing.Prices;
import io.dataparallel.core.sizing.Profile;
import io.dataparallel.core.sizing.Sizer;
import io.dataparallel.core.sizing.SizingInfeasibleException;
import io.dataparallel.core.sizing.SizingOption;
import io.dataparallel.core.sizing.SizingRequest;
import io.dataparallel.core.sizing.SizingResult;
import io.dataparallel.core.sizing.WorkerSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The README's worked example: CAI's workload (12.6 GB in 130 partitions of about 100 MB, 5,113
 * samples each) sized by the optimiser from a profile measured on this machine, with Lambda-like
 * prices: memory billed per GiB-second ($0.0000166667, i.e. $0.06 per GiB-hour), CPU coming with
 * memory (one vCPU per 1,769 MB, as Lambda allots it), so a worker of c CPUs requests 1.769·c GB,
 * up to 6 vCPUs (10 GB). The profile's samples per byte is replaced by CAI's (5,113 per partition),
 * since the example partitions here are smaller. Printed as a Markdown table beside CAI's own.
 */
final class CaiSizingExample {
    static final int PARTITIONS = 130;
    static final long BYTES = 12_600_000_000L / PARTITIONS;
    static final long SAMPLES = 5_113;
    static final Prices LAMBDA = new Prices(0, 0.0000166667 * 3600, 0);

    private CaiSizingExample() {
    }

    static Pool lambdaLike() {
        List<WorkerSize> sizes = new ArrayList<>();
        for (int c = 1; c <= 6; c++) {
            sizes.add(new WorkerSize(c, Math.min(10.0, c * 1769 / 1024.0), 0));
        }
        return new Pool("lambda-like", LAMBDA, sizes, 0);
    }

    /** The Markdown section for {@code measured}, at each of {@code deadlines}. */
    static String markdown(Profile measured, List<Duration> deadlines) {
        Profile cai = new Profile(measured.version(), measured.key(), measured.measuredAt(), measured.startupSeconds(),
                measured.downloadBytesPerSecond(), BYTES, SAMPLES, 0, measured.points());
        long[] sizes = new long[PARTITIONS];
        Arrays.fill(sizes, BYTES);
        StringBuilder md = new StringBuilder();
        md.append("| deadline | choice | predicted time | predicted cost ($) | cheapest option | fastest option |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Duration d : deadlines) {
            try {
                SizingResult s = Sizer.size(new SizingRequest(cai, sizes, lambdaLike(), Fixed.NONE, new Goal(d, null), 0, List.of()));
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %s | %s |%n", text(d), s.choice().text(),
                        s.choice().timeText(), s.choice().cost().amount(), brief(s.cheapest()), brief(s.fastest())));
            } catch (SizingInfeasibleException e) {
                md.append("| ").append(text(d)).append(" | none: ").append(e.getMessage()).append(" | | | | |\n");
            }
        }
        return md.toString();
    }

    private static String brief(SizingOption o) {
        return String.format(Locale.ROOT, "%s: %s, $%.3f", o.text(), o.timeText(), o.cost().amount());
    }

    private static String text(Duration d) {
        return io.dataparallel.api.spec.DurationText.format(d);
    }

    /** {@code java ... CaiSizingExample PROFILE.json [DEADLINE ...]}: the table for a kept profile. */
    public static void main(String[] args) throws Exception {
        Profile p = Profile.fromJson(Files.readAllBytes(Path.of(args[0])));
        List<Duration> deadlines = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            deadlines.add(io.dataparallel.api.spec.DurationText.parse(args[i]).orElseThrow());
        }
        System.out.print(markdown(p, deadlines.isEmpty() ? List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
                Duration.ofMinutes(30)) : deadlines));
    }
}
