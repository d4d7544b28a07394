package io.dataparallel.operator.cost;

import io.dataparallel.api.result.Cost;
import io.dataparallel.core.sizing.PodUsage;
import io.dataparallel.core.sizing.Prices;
import io.dataparallel.core.sizing.WorkerSize;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Billed cost = requested resources × pod wall time × price, summed over the worker,
 * summarizer and profiling pods. The summarizer reports what the workers used (their pods'
 * seconds, CPU- and GPU-seconds); the requests and the prices are the operator's, so the
 * operator completes the cost here.
 *
 * <p>Worker pod time is the ranks' own end-to-end seconds (the summarizer's sum): it leaves out
 * the seconds a pod spends before the JVM starts (image pull, scheduling), which a cloud bills
 * too but which are the node's, not the job's. Single-pod Jobs (summarizer, profiling) count
 * from the Job's start to its completion.
 */
public final class JobCosts {
    public static final String WORKER = "worker";
    public static final String SUMMARIZER = "summarizer";
    public static final String PROFILING = "profiling";

    private static final Map<String, PodUsage.Kind> KINDS = Map.of(WORKER, PodUsage.Kind.WORKER, SUMMARIZER,
            PodUsage.Kind.SUMMARIZER, PROFILING, PodUsage.Kind.PROFILING);

    private JobCosts() {
    }

    /** What each pod of a role requested. */
    public record Requests(double cpus, double memoryGiB, double gpus) {
        /** The requests of a container (a limit stands in for a missing request, as Kubernetes does). */
        public static Requests of(ResourceRequirements r) {
            return new Requests(amount(r, "cpu"), amount(r, "memory") / (1L << 30), amount(r, "nvidia.com/gpu"));
        }

        /** As the sizing's billing sees a pod; a pod that requested no CPU is billed for its memory and GPUs alone. */
        public WorkerSize toSizing() {
            return new WorkerSize(cpus > 0 ? cpus : Double.MIN_VALUE, memoryGiB, (int) Math.ceil(gpus));
        }

        private static double amount(ResourceRequirements r, String name) {
            Quantity q = pick(r.getRequests(), name);
            q = q == null ? pick(r.getLimits(), name) : q;
            return q == null ? 0 : Quantity.getAmountInBytes(q).doubleValue();
        }

        private static Quantity pick(Map<String, Quantity> m, String name) {
            return m == null ? null : m.get(name);
        }
    }

    /**
     * The usage {@code summarized} with the billed amounts added.
     *
     * @param summarized     the summarizer's cost: the workers' usage
     * @param workers        ranks that reported (the pods whose seconds {@code summarized} sums)
     * @param workerRequests what each worker requested
     * @param others         the summarizer's and profiling's finished Jobs by role; a missing Job is left out
     * @param prices         the node pool's prices; unknown prices give seconds only
     */
    public static Cost billed(Cost summarized, int workers, Requests workerRequests, Map<String, Job> others, Prices prices) {
        List<Cost.PodCost> pods = new ArrayList<>();
        pods.add(podCost(WORKER, workers, summarized.podSeconds(), workerRequests, prices));
        for (String role : List.of(PROFILING, SUMMARIZER)) {
            Job job = others.get(role);
            Double seconds = job == null ? null : seconds(job);
            if (seconds != null) {
                pods.add(podCost(role, 1, seconds, requests(job), prices));
            }
        }
        double podSeconds = pods.stream().mapToDouble(Cost.PodCost::seconds).sum();
        Double billed = prices.known() ? pods.stream().mapToDouble(Cost.PodCost::billed).sum() : null;
        return new Cost(podSeconds, summarized.cpuSeconds(), summarized.gpuSeconds(), billed, pods);
    }

    private static Cost.PodCost podCost(String role, int count, double seconds, Requests r, Prices prices) {
        // the one billing rule, shared with the sizing's predictions and local mode
        io.dataparallel.core.sizing.BilledCost c = io.dataparallel.core.sizing.BilledCost.billed(prices,
                List.of(new PodUsage(KINDS.get(role), r.toSizing(), seconds)));
        Double billed = c.priced() ? c.amount() : null;
        return new Cost.PodCost(role, count, seconds, r.cpus(), r.memoryGiB(), r.gpus(), billed);
    }

    /** A finished Job's wall seconds, from its start to its completion (or failure); null while it runs. */
    public static Double seconds(Job job) {
        if (job.getStatus() == null || job.getStatus().getStartTime() == null) {
            return null;
        }
        String end = job.getStatus().getCompletionTime();
        if (end == null && job.getStatus().getConditions() != null) {
            end = job.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                    .map(c -> c.getLastTransitionTime()).findFirst().orElse(null);
        }
        return end == null ? null
                : Duration.between(Instant.parse(job.getStatus().getStartTime()), Instant.parse(end)).toMillis() / 1000.0;
    }

    private static Requests requests(Job job) {
        List<Container> containers = job.getSpec().getTemplate().getSpec().getContainers();
        double cpus = 0;
        double memory = 0;
        double gpus = 0;
        for (Container c : containers) {
            Requests r = c.getResources() == null ? new Requests(0, 0, 0) : Requests.of(c.getResources());
            cpus += r.cpus();
            memory += r.memoryGiB();
            gpus += r.gpus();
        }
        return new Requests(cpus, memory, gpus);
    }
}
