package io.dataparallel.core.sizing;

import io.dataparallel.api.BadInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The search: over workers (1 … partitions), worker size (the pool's allowed sizes), batch size (the
 * profiled ones) and replicas (the profiled ones), the least cost that meets the deadline, or the least
 * time within the budget, or both; fields the user fixed stay as given. Deterministic: ties go to less
 * time (or cost), then fewer workers, fewer CPUs, the larger batch, fewer replicas.
 *
 * <p>Sub-linear in the workers range: per (size, batch, replicas) the cost grows with every worker
 * ({@link TimeModel}) and the most loaded rank shrinks as workers are added, so the cheapest count that
 * meets a deadline, the largest within a budget and the smallest that reaches the fastest time are each
 * found by binary search over workers, evaluating the real assignment ({@link RankLoads}) only for the
 * candidates the search visits. The assignment's load is nearly but not strictly monotone in workers, so
 * below a found count a short window is checked too.
 */
public final class Sizer {
    /** Worker counts below a binary search's answer that are checked as well. */
    static final int WINDOW = 16;
    private static final double GIB = 1024.0 * 1024 * 1024;

    private Sizer() {
    }

    /**
     * The choice for {@code request}.
     *
     * @throws SizingInfeasibleException when no configuration meets the goal
     * @throws BadInputException         when nothing can be chosen at all (a budget with no prices, fixed
     *                                   fields no allowed size can hold)
     */
    public static SizingResult size(SizingRequest request) {
        TimeModel model = new TimeModel(request.profile(), new RankLoads(request.sizes()));
        Pool pool = request.pool();
        Goal goal = request.goal();
        BilledCost extraCost = BilledCost.billed(pool.prices(), request.extraPods());
        if (goal.budget() != null && !pool.prices().known()) {
            throw new BadInputException("spec.budget", "node pool '" + pool.name() + "' has no prices, so no cost"
                    + " can be checked against a budget: give the pool's prices or remove spec.budget");
        }
        List<Combo> combos = combos(request, model);
        if (combos.isEmpty()) {
            throw nothingFits(request, model.loads().partitions());
        }
        List<SizingOption> cheapests = new ArrayList<>();
        List<SizingOption> fastests = new ArrayList<>();
        List<SizingOption> meeting = new ArrayList<>();
        for (Combo c : combos) {
            Search s = new Search(model, c, pool.prices(), request.extraSeconds(), extraCost);
            cheapests.add(s.at(c.minWorkers));
            fastests.add(s.fastest());
            SizingOption met = s.forGoal(goal);
            if (met != null) {
                meeting.add(met);
            }
        }
        Comparator<SizingOption> byCost = Comparator.comparingDouble((SizingOption o) -> o.cost().objective())
                .thenComparingDouble(SizingOption::seconds).thenComparing(Sizer::byShape);
        Comparator<SizingOption> byTime = Comparator.comparingDouble(SizingOption::seconds)
                .thenComparingDouble((SizingOption o) -> o.cost().objective()).thenComparing(Sizer::byShape);
        SizingOption cheapest = cheapests.stream().min(byCost).orElseThrow();
        SizingOption fastest = fastests.stream().min(byTime).orElseThrow();
        Comparator<SizingOption> best = goal.deadline() != null ? byCost : byTime;
        meeting.sort(best);
        if (meeting.isEmpty()) {
            throw infeasible(goal, cheapest, fastest, cheapests, fastests, byCost, byTime);
        }
        return new SizingResult(meeting.get(0), cheapest, fastest, meeting);
    }

    /** Why no (size, batch, replicas) is left: too many fixed workers for the pool's CPUs, or too little memory. */
    private static BadInputException nothingFits(SizingRequest request, int partitions) {
        Pool pool = request.pool();
        Fixed fixed = request.fixed();
        if (fixed.workers() != null && pool.maxTotalCpus() > 0) {
            double least = fixed.cpus() != null ? fixed.cpus()
                    : pool.sizes().stream().mapToDouble(WorkerSize::cpus).min().orElse(1);
            int most = (int) Math.floor(pool.maxTotalCpus() / least + 1e-9);
            if (Math.min(fixed.workers(), partitions) > most) {
                return new BadInputException("spec.workers", "is " + fixed.workers() + " but node pool '" + pool.name()
                        + "' runs at most " + String.format(Locale.ROOT, "%.0f", pool.maxTotalCpus()) + " CPUs at once, so at most "
                        + most + " workers of " + SizingOption.cpusText(least) + " CPU: lower spec.workers to "
                        + most + " or less, or leave it out to let the sizing choose");
            }
        }
        return new BadInputException(fixed.cpus() != null || fixed.memoryGiB() != null ? "spec.resources" : "spec.nodePool",
                "no worker size of node pool '" + pool.name() + "' fits the fixed fields and the profiled memory ("
                + String.format(Locale.ROOT, "%.1f", request.profile().memoryBytes() / GIB)
                + " GiB): request more memory, or a pool with larger sizes, or leave spec.resources out");
    }

    private static int byShape(SizingOption a, SizingOption b) {
        return Comparator.comparingInt(SizingOption::workers)
                .thenComparingDouble((SizingOption o) -> o.size().cpus())
                .thenComparingDouble((SizingOption o) -> o.size().memoryGiB())
                .thenComparing(Comparator.comparingInt(SizingOption::batchSize).reversed())
                .thenComparingInt(SizingOption::replicas).compare(a, b);
    }

    private static SizingInfeasibleException infeasible(Goal goal, SizingOption cheapest, SizingOption fastest,
                                                        List<SizingOption> cheapests, List<SizingOption> fastests,
                                                        Comparator<SizingOption> byCost,
                                                        Comparator<SizingOption> byTime) {
        if (goal.deadline() != null && fastest.seconds() > goal.deadlineSeconds()) {
            return new SizingInfeasibleException("spec.deadline", "no configuration finishes within " + deadlineText(goal)
                    + ": the fastest, " + fastest.text() + ", takes " + fastest.timeText() + " and costs "
                    + fastest.cost().text() + ": set spec.deadline to at least " + fastest.timeText(), fastest, cheapest);
        }
        if (goal.budget() != null && cheapest.cost().amount() > goal.budget()) {
            return new SizingInfeasibleException("spec.budget", "no configuration costs at most " + BilledCost.money(goal.budget())
                    + ": the cheapest, " + cheapest.text() + ", costs " + cheapest.cost().text() + " and takes "
                    + cheapest.timeText() + ": raise spec.budget to at least " + cheapest.cost().text(), fastest, cheapest);
        }
        // each alone can be met, not both: name what each costs the other
        return new SizingInfeasibleException("spec.budget", "no configuration meets both spec.deadline "
                + deadlineText(goal) + " and spec.budget " + BilledCost.money(goal.budget()) + ": the fastest, " + fastest.text()
                + ", takes " + fastest.timeText() + " and costs " + fastest.cost().text() + "; the cheapest, "
                + cheapest.text() + ", costs " + cheapest.cost().text() + " and takes " + cheapest.timeText()
                + ": raise spec.budget or lengthen spec.deadline", fastest, cheapest);
    }

    private static String deadlineText(Goal goal) {
        return SizingOption.durationText(goal.deadlineSeconds());
    }

    /** One (size, batch, replicas) with the workers range it may use. */
    private record Combo(WorkerSize size, int batch, int replicas, int minWorkers, int maxWorkers) {
    }

    private static List<Combo> combos(SizingRequest request, TimeModel model) {
        Fixed fixed = request.fixed();
        Pool pool = request.pool();
        int partitions = model.loads().partitions();
        List<WorkerSize> sizes = new ArrayList<>();
        if (fixed.cpus() != null) {
            // the user's request stands even when the pool lists no such size; memory from the pool's closest
            double memory = fixed.memoryGiB() != null ? fixed.memoryGiB() : pool.sizes().stream()
                    .min(Comparator.comparingDouble((WorkerSize w) -> Math.abs(w.cpus() - fixed.cpus())))
                    .map(WorkerSize::memoryGiB).orElse(0.0);
            sizes.add(new WorkerSize(fixed.cpus(), memory, pool.sizes().get(0).gpus()));
        } else {
            for (WorkerSize s : pool.sizes()) {
                boolean fits = request.profile().memoryBytes() <= 0 || s.memoryGiB() <= 0
                        || s.memoryGiB() * GIB >= request.profile().memoryBytes();
                if (fits && (fixed.memoryGiB() == null || s.memoryGiB() >= fixed.memoryGiB())) {
                    sizes.add(fixed.memoryGiB() == null ? s : new WorkerSize(s.cpus(), fixed.memoryGiB(), s.gpus()));
                }
            }
        }
        List<Integer> batches = fixed.batchSize() != null ? List.of(fixed.batchSize()) : model.rate().batchSizes();
        List<Integer> replicas = fixed.replicas() != null ? List.of(fixed.replicas()) : model.rate().replicas();
        List<Combo> combos = new ArrayList<>();
        for (WorkerSize size : sizes) {
            int max = partitions;
            if (pool.maxTotalCpus() > 0) {
                max = (int) Math.min(max, Math.floor(pool.maxTotalCpus() / size.cpus() + 1e-9));
            }
            int min = 1;
            if (fixed.workers() != null) {
                int w = Math.min(fixed.workers(), partitions); // as the planner runs it
                if (w > max) {
                    continue;
                }
                min = w;
                max = w;
            }
            if (max < 1) {
                continue;
            }
            for (int batch : batches) {
                for (int r : replicas) {
                    if (fixed.replicas() == null && r > Math.max(1, Math.floor(size.cpus()))) {
                        continue; // a replica without a whole CPU of its own only contends
                    }
                    combos.add(new Combo(size, batch, r, min, max));
                }
            }
        }
        return combos;
    }

    /** The worker-count searches for one combo. */
    private static final class Search {
        private final TimeModel model;
        private final Combo combo;
        private final Prices prices;
        private final double extraSeconds;
        private final BilledCost extraCost;
        private final double perByte;

        Search(TimeModel model, Combo combo, Prices prices, double extraSeconds, BilledCost extraCost) {
            this.model = model;
            this.combo = combo;
            this.prices = prices;
            this.extraSeconds = extraSeconds;
            this.extraCost = extraCost;
            this.perByte = model.secondsPerByte(combo.size, combo.batch, combo.replicas);
        }

        SizingOption at(int workers) {
            return model.predict(workers, combo.size, combo.batch, combo.replicas, prices, extraSeconds, extraCost);
        }

        /** The fewest workers that reach the least most-loaded-rank bytes of the range. */
        SizingOption fastest() {
            long least = model.loads().maxBytes(combo.maxWorkers);
            return at(fewestWithin(least));
        }

        /** The option this combo offers for {@code goal}, or null when it cannot meet it. */
        SizingOption forGoal(Goal goal) {
            if (goal.deadline() != null) {
                double forRanks = goal.deadlineSeconds() - extraSeconds - model.profile().startupSeconds();
                if (forRanks <= 0) {
                    return null;
                }
                long allowed = (long) Math.floor(forRanks / perByte);
                if (model.loads().maxBytes(combo.maxWorkers) > allowed) {
                    return null;
                }
                SizingOption met = at(fewestWithin(allowed));
                if (met.seconds() > goal.deadlineSeconds()) {
                    return null; // rounding at the edge: the prediction itself decides
                }
                return goal.budget() == null || met.cost().amount() <= goal.budget() ? met : null;
            }
            int most = mostWithinBudget(goal.budget());
            if (most < combo.minWorkers) {
                return null;
            }
            SizingOption met = at(fewestWithin(model.loads().maxBytes(most)));
            return met.cost().amount() <= goal.budget() ? met : null;
        }

        /**
         * The fewest workers in the range whose most loaded rank holds at most {@code bytes}; the caller
         * has checked the range's top meets it. Binary search, then the window below for the few counts
         * where the assignment is not monotone, never below the mean-share bound.
         */
        int fewestWithin(long bytes) {
            RankLoads loads = model.loads();
            int lo = combo.minWorkers;
            int hi = combo.maxWorkers;
            int bound = (int) Math.max(lo, Math.min(hi, Math.ceil((double) loads.totalBytes() / Math.max(1, bytes))));
            lo = Math.max(lo, bound);
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (loads.maxBytes(mid) <= bytes) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            int found = lo;
            for (int w = found - 1; w >= Math.max(bound, found - WINDOW); w--) {
                if (loads.maxBytes(w) <= bytes) {
                    found = w;
                }
            }
            return found;
        }

        /** The most workers whose cost stays within {@code budget}: cost grows linearly with workers. */
        int mostWithinBudget(double budget) {
            double perSecond = prices.perSecond(combo.size);
            double startup = model.profile().startupSeconds();
            double fixedPart = extraCost.amount() + perSecond * model.loads().totalBytes() * perByte;
            if (fixedPart > budget) {
                return 0;
            }
            if (perSecond * startup <= 0) {
                return combo.maxWorkers;
            }
            double w = Math.floor((budget - fixedPart) / (perSecond * startup));
            return (int) Math.min(combo.maxWorkers, w);
        }
    }
}
