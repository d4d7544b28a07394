package io.dataparallel.operator.reconciler;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Phase;
import io.dataparallel.api.status.Reason;
import io.dataparallel.api.status.Sizing;
import io.dataparallel.api.validation.SpecValidator;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.plan.Planner;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.StoreUnavailableException;
import io.dataparallel.core.sizing.Fixed;
import io.dataparallel.core.sizing.Goal;
import io.dataparallel.core.sizing.PodUsage;
import io.dataparallel.core.sizing.Profile;
import io.dataparallel.core.sizing.Sizer;
import io.dataparallel.core.sizing.SizingInfeasibleException;
import io.dataparallel.core.sizing.SizingRequest;
import io.dataparallel.operator.cost.JobCosts;
import io.dataparallel.operator.resources.Children;
import io.dataparallel.operator.resources.ProfilingJobs;
import io.dataparallel.operator.resources.WorkerJobs;
import io.dataparallel.operator.sizing.ProfileCache;
import io.dataparallel.operator.sizing.SizingStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sizing (only with spec.deadline or spec.budget): list the partitions, find a fresh profile of
 * the model on the job's node pool or run the profiling Job for one, then search for the workers,
 * batch size, replicas and per-worker CPU/memory the user left out. The choice goes into
 * {@code status.sizing}, which {@link io.dataparallel.operator.sizing.SizedSpec} turns into the spec the job is planned with. No
 * configuration meeting the goal fails the job here, before any worker runs, naming the field.
 */
final class SizeStep implements Step {
    static final Duration CHECK = Duration.ofSeconds(3);
    /**
     * How long a listing is kept between passes: well past a profiling Job's run, and short enough that a job deleted
     * while sizing (no pass ever comes to drop its listing) leaves no plan in the heap for long.
     */
    static final Duration LISTING_KEPT = Duration.ofMinutes(30);

    /** A bucket's listing and when it was made. */
    private record Listing(Plan plan, Instant at) {
    }

    /** Listings kept between passes while the profiling Job runs, by job uid: a bucket is listed once per sizing. */
    private final Map<String, Listing> listings = new ConcurrentHashMap<>();

    /** True when the job asks to be sized. */
    static boolean wanted(InferenceJobSpec spec) {
        return spec.deadline() != null || spec.budget() != null;
    }

    /** The message refusing spec.budget on a node pool without prices, or null when that is not the case. */
    static String budgetWithoutPrices(InferenceJobSpec spec, io.dataparallel.operator.config.OperatorConfig config) {
        if (spec.budget() == null || WorkerJobs.pool(spec, config).prices().known()) {
            return null;
        }
        String pool = WorkerJobs.poolName(spec, config);
        return "spec.budget: is " + spec.budget() + " but node pool '" + pool + "' has no prices (Helm value nodePools." + pool
                + ".prices), so no cost can be checked against it: ask for the pool's prices, use a pool that has them"
                + " (spec.nodePool), or use spec.deadline instead";
    }

    @Override
    public StepResult run(JobRun run) {
        if (run.status.get().sizing() != null && run.status.get().sizing().chosen() != null) {
            return toPlanning(run);
        }
        InferenceJobSpec spec = run.job.getSpec();
        String uid = run.job.getMetadata().getUid();
        try (ObjectStore store = run.stores.open(run.job)) {
            SpecValidator.requireValid(spec);
            Plan listing = listing(run, store, Instant.now());
            ProfileCache cache = new ProfileCache(run.client);
            ProfileCache.Key key = new ProfileCache.Key(listing.model() == null ? "" : listing.model().etag(),
                    WorkerJobs.poolName(spec, run.config), spec.deviceOrDefault().name(), spec.data().uri());
            Optional<ProfileCache.Found> cached = cache.find(run.namespace(), key, Instant.now());
            Profile profile;
            String where;
            Job profiling = null;
            if (cached.isPresent()) {
                profile = cached.get().profile();
                where = cached.get().where();
            } else {
                profiling = run.child(Job.class, Children.profilingJob(run.job), true);
                if (profiling == null) {
                    return startProfiling(run, listing);
                }
                if (JobStatuses.hasCondition(profiling, "Failed")) {
                    return run.fail(Reason.ProfilingFailed, "the profiling Job " + profiling.getMetadata().getName() + " failed ("
                            + JobStatuses.failedReason(profiling) + "); see its log: "
                            + LogCommands.job(run.namespace(), profiling.getMetadata().getName()) + ". Without a profile the job cannot be sized:"
                            + " set spec.workers, spec.batchSize and spec.resources and remove spec.deadline and spec.budget to run it unsized");
                }
                if (!JobStatuses.hasCondition(profiling, "Complete")) {
                    return StepResult.after(CHECK);
                }
                S3Uri file = profileFile(spec);
                Optional<Profile> measured = store.getIfExists(file, OutputLayout.FIELD).map(Profile::fromJson);
                if (measured.isEmpty() || !measured.get().problem().isEmpty()) {
                    return run.fail(Reason.ProfilingFailed, "the profiling Job finished but " + file + " is "
                            + (measured.isEmpty() ? "missing" : "unusable: " + measured.get().problem()));
                }
                profile = measured.get();
                where = file.toString();
                cache.keep(run.namespace(), key, profile, Instant.now());
            }
            return size(run, listing, profile, where, cached.isPresent(), profiling);
        } catch (SizingInfeasibleException e) {
            listings.remove(uid);
            return run.fail(Reason.SizingInfeasible, e.getMessage());
        } catch (BadInputException e) {
            listings.remove(uid);
            return run.fail(Reason.PlanFailed, e.getMessage());
        } catch (StoreUnavailableException e) {
            run.status.set(s -> s.withMessage("waiting for the store: " + e.getMessage()));
            return StepResult.after(PlanStep.STORE_RETRY);
        }
    }

    /** The job's listing: kept from an earlier pass, or listed now; listings older than {@link #LISTING_KEPT} are dropped. */
    Plan listing(JobRun run, ObjectStore store, Instant now) {
        listings.values().removeIf(l -> l.at().plus(LISTING_KEPT).isBefore(now));
        String uid = run.job.getMetadata().getUid();
        Listing kept = listings.get(uid);
        if (kept != null) {
            return kept.plan();
        }
        JobRef ref = new JobRef(run.namespace(), run.job.getMetadata().getName(), uid);
        Plan listed = new Planner(store, run.config.maxWorkers()).plan(ref, run.job.getSpec().withWorkers(1));
        listings.put(uid, new Listing(listed, now));
        return listed;
    }

    /** How many listings are kept now. */
    int listingsKept() {
        return listings.size();
    }

    private StepResult startProfiling(JobRun run, Plan listing) {
        Plan first = ProfilingJobs.firstPartition(listing);
        run.ensureWorkerServiceAccount();
        run.createOrGet(ProfilingJobs.configMap(run.job, first));
        Job created = run.createOrGet(ProfilingJobs.job(run.job, first, run.config, profileFile(run.job.getSpec()).toString()));
        String message = "profiling the model on the first partition (" + listing.keys().get(0) + ") in Job "
                + created.getMetadata().getName();
        run.events.normal(run.job, Reason.Profiling, message);
        run.status.set(s -> s.withMessage(message));
        run.status.condition(ConditionType.Progressing, true, Reason.Profiling, message, run.generation());
        return StepResult.after(CHECK);
    }

    private StepResult size(JobRun run, Plan listing, Profile profile, String where, boolean reused, Job profiling) {
        InferenceJobSpec spec = run.job.getSpec();
        long[] sizes = listing.sizes().stream().mapToLong(Long::longValue).toArray();
        Double profilingSeconds = profiling == null ? null : JobCosts.seconds(profiling);
        List<PodUsage> extra = profilingSeconds == null ? List.of() : List.of(new PodUsage(PodUsage.Kind.PROFILING,
                JobCosts.Requests.of(ProfilingJobs.resources(spec, run.config)).toSizing(), profilingSeconds));
        SizingRequest request = new SizingRequest(profile, sizes, io.dataparallel.operator.sizing.Pools.of(spec, run.config),
                Fixed.from(spec), new Goal(spec.deadlineDuration().orElse(null), spec.budget()), 0, extra);
        io.dataparallel.core.sizing.SizingResult result = Sizer.size(request);
        Sizing sizing = SizingStatus.of(spec, result, profile, where, reused);
        listings.remove(run.job.getMetadata().getUid());
        String message = "sized for " + sizing.goal() + ": " + result.choice().text() + ", predicted "
                + result.choice().timeText() + " and " + result.choice().cost().text()
                + (reused ? " (profile reused from " + where + ")" : "");
        run.status.set(s -> s.withSizing(sizing).withMessage(message));
        run.events.normal(run.job, Reason.Sized, message);
        return toPlanning(run);
    }

    private static StepResult toPlanning(JobRun run) {
        run.status.set(s -> s.withPhase(Phase.Planning));
        return StepResult.PROCEED;
    }

    /** Where the profiling pod writes its profile: under the job's output prefix. */
    static S3Uri profileFile(InferenceJobSpec spec) {
        return OutputLayout.of(spec.output()).root().resolve(Profile.FILE);
    }
}
