package io.dataparallel.operator.sizing;

import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.core.sizing.Pool;
import io.dataparallel.core.sizing.WorkerSize;
import io.dataparallel.operator.config.NodePool;
import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.cost.JobCosts;
import io.dataparallel.operator.resources.WorkerJobs;
import java.util.List;

/** A node pool of the Helm values as the sizing sees it. */
public final class Pools {
    private Pools() {
    }

    /**
     * The job's pool: its prices and allowed worker sizes; a pool without sizes offers the default
     * worker resources alone. A cluster scales, so no cap on the CPUs all workers hold together.
     */
    public static Pool of(InferenceJobSpec spec, OperatorConfig config) {
        NodePool pool = WorkerJobs.pool(spec, config);
        boolean gpu = spec.deviceOrDefault() == Device.gpu;
        List<WorkerSize> sizes = pool.workerSizes().isEmpty()
                ? List.of(JobCosts.Requests.of(WorkerJobs.workerResources(spec.withResources(null), config)).toSizing())
                : pool.workerSizes().stream().map(s -> s.toSizing(gpu)).toList();
        return new Pool(WorkerJobs.poolName(spec, config), pool.prices(), sizes, 0);
    }
}
