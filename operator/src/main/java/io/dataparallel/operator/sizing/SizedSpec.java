package io.dataparallel.operator.sizing;

import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.Sizing;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

/**
 * The spec a sized job is planned and run with: the user's spec with the sizing's chosen workers,
 * batch size, replicas and CPU/memory requests in the fields the user left out. The InferenceJob
 * keeps the user's spec; the plan (and so every worker) holds this one.
 */
public final class SizedSpec {
    private SizedSpec() {
    }

    /** The spec to plan with: {@code spec} itself when the job is not sized (or not yet). */
    public static InferenceJobSpec of(InferenceJobSpec spec, Sizing sizing) {
        if (sizing == null || sizing.chosen() == null) {
            return spec;
        }
        Sizing.Option c = sizing.chosen();
        InferenceJobSpec out = spec;
        if (spec.workers() == null && c.workers() != null) {
            out = out.withWorkers(c.workers());
        }
        if (spec.batchSize() == null && c.batchSize() != null) {
            out = out.withBatchSize(c.batchSize());
        }
        if (spec.replicas() == null && c.replicas() != null && c.replicas() > 1) {
            out = out.withReplicas(c.replicas());
        }
        return out.withResources(resources(spec.resources(), c));
    }

    /** The user's requests and limits where given; the chosen CPU and memory requests (memory limit too) where not. */
    static ResourceRequirements resources(ResourceRequirements given, Sizing.Option c) {
        ResourceRequirementsBuilder b = given == null ? new ResourceRequirementsBuilder() : new ResourceRequirementsBuilder(given);
        boolean cpuGiven = has(given, "cpu");
        boolean memoryGiven = has(given, "memory");
        if (!cpuGiven && c.cpu() != null) {
            b.addToRequests("cpu", new Quantity(c.cpu()));
        }
        if (!memoryGiven && c.memory() != null) {
            b.addToRequests("memory", new Quantity(c.memory()));
            b.addToLimits("memory", new Quantity(c.memory()));
        }
        return b.build();
    }

    private static boolean has(ResourceRequirements r, String name) {
        return r != null && (r.getRequests() != null && r.getRequests().containsKey(name)
                || r.getLimits() != null && r.getLimits().containsKey(name));
    }
}
