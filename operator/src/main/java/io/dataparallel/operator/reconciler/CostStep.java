package io.dataparallel.operator.reconciler;

import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.result.Cost;
import io.dataparallel.api.result.Summary;
import io.dataparallel.core.Json;
import io.dataparallel.core.output.OutputLayout;
import io.dataparallel.core.report.Report;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.operator.cost.JobCosts;
import io.dataparallel.operator.resources.Children;
import io.dataparallel.operator.resources.WorkerJobs;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part of Summarizing: the summarizer wrote what the workers used; the billed amounts need each
 * pod's requests and the node pool's prices, which only the operator has. It adds them to the
 * summary, puts them on {@code report.html}, and writes {@code summary.json} again, once: a summary
 * whose cost lists its pods is complete.
 */
final class CostStep {
    private static final Logger LOG = LoggerFactory.getLogger(CostStep.class);

    private CostStep() {
    }

    /** {@code summary} with its cost completed, written back to {@code summary.json}; as it was when already complete. */
    static Summary complete(JobRun run, Plan plan, Summary summary, ObjectStore store) {
        // this run's usage: the earlier runs' costs were completed by the runs that billed them
        Cost used = summary.thisRun() == null ? summary.cost() : summary.thisRun().cost();
        if (used == null || used.pods() != null) {
            return summary;
        }
        Map<String, Job> others = new HashMap<>();
        String summarizer = run.status.get().summarizerJob();
        put(others, JobCosts.SUMMARIZER, run.child(Job.class, summarizer == null ? Children.summarizerJob(run.job) : summarizer, true));
        put(others, JobCosts.PROFILING, run.child(Job.class, Children.profilingJob(run.job), run.status.get().sizing() != null));
        // one pod per rank; a rank that left no result adds no seconds
        Cost billed = JobCosts.billed(used, summary.workers(),
                JobCosts.Requests.of(WorkerJobs.workerResources(plan.spec(), run.config)), others,
                WorkerJobs.pool(plan.spec(), run.config).prices());
        Summary completed = summary.thisRun() == null ? summary.withCost(billed) : summary.withRunCost(billed);
        try {
            // the page first: a summary.json with its pods listed is what says this step is done
            store.getIfExists(run.output().report(), OutputLayout.FIELD).ifPresent(page -> store.put(run.output().report(),
                    Report.withCost(new String(page, StandardCharsets.UTF_8), completed).getBytes(StandardCharsets.UTF_8),
                    "text/html; charset=utf-8", Map.of(), false, OutputLayout.FIELD));
            store.putJson(run.output().summary(), Json.writePretty(completed), OutputLayout.FIELD);
        } catch (RuntimeException e) { // status still gets the cost; the files keep the usage alone
            LOG.warn("could not add the billed cost to {}: {}", run.output().summary(), e.getMessage());
        }
        return completed;
    }

    private static void put(Map<String, Job> jobs, String role, Job job) {
        if (job != null) {
            jobs.put(role, job);
        }
    }
}
