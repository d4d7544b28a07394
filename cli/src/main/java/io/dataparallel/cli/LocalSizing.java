package io.dataparallel.cli;

import com.sun.management.OperatingSystemMXBean;
import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.RankResult;
import io.dataparallel.api.spec.DurationText;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.core.Json;
import io.dataparallel.core.manifest.Manifest;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.sizing.BilledCost;
import io.dataparallel.core.sizing.Fixed;
import io.dataparallel.core.sizing.Goal;
import io.dataparallel.core.sizing.InputShapes;
import io.dataparallel.core.sizing.Machines;
import io.dataparallel.core.sizing.PodUsage;
import io.dataparallel.core.sizing.Pool;
import io.dataparallel.core.sizing.Prices;
import io.dataparallel.core.sizing.Profile;
import io.dataparallel.core.sizing.ProfileKey;
import io.dataparallel.core.sizing.Sizer;
import io.dataparallel.core.sizing.SizingInfeasibleException;
import io.dataparallel.core.sizing.SizingOption;
import io.dataparallel.core.sizing.SizingRequest;
import io.dataparallel.core.sizing.SizingResult;
import io.dataparallel.core.sizing.WorkerSize;
import io.dataparallel.worker.FirstPartition;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sizing from a deadline or budget on this machine: the worker sizes are 1 … cores CPUs (memory in
 * proportion), all workers run at once (so workers × CPUs ≤ cores), the profile is measured here by
 * the worker's {@code profile} command or taken from {@link LocalProfileCache}, and {@link Sizer} chooses.
 * A local worker is a process and its CPUs its intra-op threads.
 */
final class LocalSizing {
    static final String POOL = "local";

    /**
     * What the command line asks for; each null when not given (the manifest's then count).
     *
     * @param deadline  {@code --deadline}, e.g. {@code 10m}
     * @param budget    {@code --budget}
     * @param prices    {@code --price-cpu-hour}, {@code --price-gib-hour}, {@code --price-gpu-hour}
     * @param reprofile {@code --reprofile}: measure again even when a valid profile is kept
     */
    record Flags(String deadline, Double budget, Prices prices, boolean reprofile) {
        static final Flags NONE = new Flags(null, null, Prices.UNKNOWN, false);

        /** The goal from these flags, else the spec's; empty when neither sets a deadline or budget. */
        Optional<Goal> goal(InferenceJobSpec spec) {
            Duration d;
            if (deadline != null) {
                d = DurationText.parse(deadline).filter(x -> !x.isZero()).orElseThrow(() -> new BadInputException("--deadline",
                        "'" + deadline + "' is not a duration: write it as 90s, 10m or 1h30m"));
            } else {
                d = spec.deadlineDuration().orElse(null);
            }
            Double b = budget != null ? budget : spec.budget();
            return d == null && b == null ? Optional.empty() : Optional.of(new Goal(d, b));
        }
    }

    /** The choice and what it was made from. */
    record Sized(SizingResult sizing, Goal goal, Pool pool, Profile profile, Path profileFile, boolean measured) {
        SizingOption choice() {
            return sizing.choice();
        }
    }

    /**
     * A job's plan as {@code run} computes it.
     *
     * @param spec  what the plan was made of: the effective spec, with a sized job's choice in it
     * @param sized the choice and what it was made from; null when the job has no deadline or budget
     */
    record SizedPlan(Plan plan, InferenceJobSpec spec, Sized sized) {
    }

    private LocalSizing() {
    }

    /**
     * Plans {@code manifest}'s job here; with a deadline or budget (flags or spec) it then sizes the
     * job, prints the options table and plans again with the choice, so that {@code plan} and
     * {@code run} show and run the same plan.
     */
    static SizedPlan plan(Manifest manifest, Flags flags, Integer threads, LocalStore local, Path runDir, PrintStream out)
            throws InterruptedException {
        Planner planner = new Planner(local.store(), Planner.DEFAULT_MAX_WORKERS);
        InferenceJobSpec effective = local.effective(manifest.spec());
        Plan planned = planner.plan(manifest.job(), effective);
        Optional<Goal> goal = flags.goal(manifest.spec());
        if (goal.isEmpty()) {
            return new SizedPlan(planned, effective, null);
        }
        Sized sized = size(planned, manifest.spec(), goal.get(), flags, threads, local, runDir, out);
        print(sized, out);
        InferenceJobSpec chosen = apply(effective, sized.choice());
        return new SizedPlan(planner.plan(manifest.job(), chosen), chosen, sized);
    }

    /** This machine as a node pool: 1 … cores CPUs, memory in proportion, no more CPUs than cores at once. */
    static Pool pool(Prices prices) {
        int cores = Runtime.getRuntime().availableProcessors();
        double gib = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            gib = os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
        }
        List<WorkerSize> sizes = new ArrayList<>();
        for (int c = 1; c <= cores; c++) {
            sizes.add(new WorkerSize(c, gib * c / cores, 0));
        }
        return new Pool(POOL, prices, sizes, cores);
    }

    /**
     * Profiles (or reuses a profile) and chooses. {@code --threads} fixes the CPUs per worker as
     * {@code spec.resources} would.
     */
    static Sized size(Plan planned, InferenceJobSpec spec, Goal goal, Flags flags, Integer threads, LocalStore local,
                      Path runDir, PrintStream out) throws InterruptedException {
        Pool pool = pool(flags.prices());
        if (goal.budget() != null && !pool.prices().known()) {
            // before profiling: no profile makes a budget checkable without prices
            throw new BadInputException(flags.budget() != null ? "--budget" : "spec.budget", "is " + goal.budget()
                    + " but no price is known here, so no cost can be checked against it: give --price-cpu-hour (and"
                    + " --price-gib-hour, --price-gpu-hour as they apply), or drop the budget");
        }
        ProfileKey key = key(planned, local);
        LocalProfileCache cache = new LocalProfileCache(LocalProfileCache.DIR);
        Path file = cache.file(key);
        Optional<Profile> kept = flags.reprofile() ? Optional.empty() : cache.find(key, Instant.now());
        Profile profile;
        if (kept.isPresent()) {
            profile = kept.get();
        } else {
            out.printf("sizing: profiling %s on %s on this machine (%s)...%n", planned.keys().get(0), spec.model().uri(), key.machine());
            profile = LocalProfiler.measure(planned, key, local.env(), runDir, file, Runtime.getRuntime().availableProcessors());
        }
        out.printf(Locale.ROOT, "sizing: profile %s (%s, measured %s): start-up %.1f s, read %.0f MB/s, %s%n", file,
                kept.isPresent() ? "kept" : "new", profile.measuredAt(), profile.startupSeconds(),
                profile.downloadBytesPerSecond() / 1e6, rates(profile));
        Fixed fixed = Fixed.from(spec);
        if (threads != null) {
            fixed = new Fixed(fixed.workers(), fixed.batchSize(), fixed.replicas(), threads.doubleValue(), fixed.memoryGiB());
        }
        long[] sizes = planned.sizes().stream().mapToLong(Long::longValue).toArray();
        SizingResult sizing;
        try {
            sizing = Sizer.size(new SizingRequest(profile, sizes, pool, fixed, goal, 0, List.of()));
        } catch (SizingInfeasibleException e) {
            throw fromFlags(e, flags);
        }
        return new Sized(sizing, goal, pool, profile, file, kept.isEmpty());
    }

    /** A message about a field the command line set names the flag too. */
    private static BadInputException fromFlags(SizingInfeasibleException e, Flags flags) {
        String message = e.getMessage();
        if (flags.deadline() != null) {
            message = message.replace("spec.deadline", "--deadline");
        }
        if (flags.budget() != null) {
            message = message.replace("spec.budget", "--budget");
        }
        if (message.equals(e.getMessage())) {
            return e;
        }
        String field = message.substring(0, message.indexOf(':'));
        return new BadInputException(field, message.substring(field.length() + 2));
    }

    /** The profile's key for this job here: the first partition's arrays give the input shapes. */
    static ProfileKey key(Plan plan, LocalStore local) {
        InferenceJobSpec spec = plan.spec();
        // read with the worker's reader for its format, as the profile that this key finds was measured
        Map<String, NpyArray> arrays = FirstPartition.load(plan, local.store(), "spec.data.uri", "to size the job with").arrays();
        return new ProfileKey(plan.model() == null ? "" : plan.model().etag(), POOL, spec.deviceOrDefault().name(),
                InputShapes.text(spec.model().inputs(), arrays), Machines.describe());
    }

    /** The spec to plan with: the chosen workers and batch size in place of the user's blanks. */
    static InferenceJobSpec apply(InferenceJobSpec spec, SizingOption choice) {
        return spec.withWorkers(choice.workers()).withBatchSize(choice.batchSize());
    }

    /** The options table, the choice marked, then the choice in a line (the profile's line came before). */
    static void print(Sized sized, PrintStream out) {
        List<SizingOption> rows = new ArrayList<>(sized.sizing().options());
        for (SizingOption extra : List.of(sized.sizing().cheapest(), sized.sizing().fastest())) {
            if (!rows.contains(extra)) {
                rows.add(extra);
            }
        }
        out.println("  option    workers  CPU  batch  predicted  cost");
        for (SizingOption o : rows) {
            String label = o.equals(sized.choice()) ? "* choice" : o.equals(sized.sizing().fastest()) ? "  fastest"
                    : o.equals(sized.sizing().cheapest()) ? "  cheapest" : "";
            out.printf(Locale.ROOT, "  %-9s %7d %4s %6d %10s  %s%n", label, o.workers(), SizingOption.cpusText(o.size().cpus()), o.batchSize(),
                    o.timeText(), o.cost().text());
        }
        Goal g = sized.goal();
        String asked = (g.deadline() != null ? "deadline " + DurationText.format(g.deadline()) : "")
                + (g.deadline() != null && g.budget() != null ? ", " : "")
                + (g.budget() != null ? "budget " + g.budget() : "");
        SizingOption c = sized.choice();
        out.printf("choice: %s: predicted %s, cost %s (%s; %s)%n", c.text(), c.timeText(), c.cost().text(), asked,
                g.deadline() != null ? "least cost that meets the deadline" : "least time within the budget");
    }

    private static String rates(Profile p) {
        List<String> parts = new ArrayList<>();
        p.points().forEach(r -> parts.add(String.format(Locale.ROOT, "%d@%dT %.0f/s", r.batchSize(), r.threads(), r.samplesPerSecond())));
        return "samples/s (batch@threads) " + String.join(", ", parts);
    }

    /**
     * After the run: the prediction beside what happened. The workers' wall time is the summary's
     * (first worker start to last end); the billed cost adds each rank's own wall time × its CPUs.
     */
    static void printOutcome(Sized sized, Plan plan, double actualSeconds, LocalStore local, PrintStream out) {
        SizingOption c = sized.choice();
        OutputLayout layout = OutputLayout.of(plan.spec().output());
        List<PodUsage> pods = new ArrayList<>();
        for (int r = 0; r < plan.worldSize(); r++) {
            Optional<byte[]> result = local.store().getIfExists(layout.rankResult(r), OutputLayout.FIELD);
            if (result.isPresent()) {
                RankResult rr = Json.read(result.get(), RankResult.class);
                pods.add(new PodUsage(PodUsage.Kind.WORKER, c.size(), Math.max(0, rr.finishedMs() - rr.startedMs()) / 1000.0));
            }
        }
        BilledCost actual = BilledCost.billed(sized.pool().prices(), pods);
        out.printf(Locale.ROOT, "sizing: predicted %.1f s, took %.1f s (%.2f of predicted); cost predicted %s, billed %s%n",
                c.seconds(), actualSeconds, actualSeconds / c.seconds(), c.cost().text(), actual.text());
    }
}
