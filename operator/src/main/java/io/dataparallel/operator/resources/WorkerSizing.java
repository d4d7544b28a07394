package io.dataparallel.operator.resources;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a worker pod needs beyond the user's resources, from the plan:
 * <ul>
 * <li>scratch space for {@code /tmp}: the partitions in flight ({@link #partitionsInFlight}) and
 * the model, so an emptyDir {@code sizeLimit} and an {@code ephemeral-storage} request of that many
 * times the largest partition plus 1 GiB (the kubelet evicts a pod past its limit instead of letting it
 * fill the node's disk);</li>
 * <li>intra-op threads from the CPU request ({@code resourceFieldRef}, rounded up): with no CPU
 * limit (the default) the process would otherwise see every core of the node and oversubscribe it;</li>
 * <li>JVM memory: partitions live in direct buffers and libtorch in native memory, so the heap is
 * kept to a quarter of the memory limit and direct memory to the partitions in flight plus
 * headroom, leaving the rest to libtorch.</li>
 * </ul>
 */
final class WorkerSizing {
    static final long MODEL_HEADROOM = 1L << 30;
    static final long DIRECT_HEADROOM = 256L << 20;

    private WorkerSizing() {
    }

    static long largestPartition(Plan plan) {
        return plan.sizes().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /**
     * The partitions a worker holds at once: the one computing and the one downloading ahead, and with
     * {@code spec.data.keep} also the one uploading, whose kept arrays its prediction copies.
     */
    static int partitionsInFlight(Plan plan) {
        return plan.spec().data().keepOrNone().isEmpty() ? 2 : 3;
    }

    static Quantity scratch(Plan plan) {
        return bytes(partitionsInFlight(plan) * largestPartition(plan) + MODEL_HEADROOM);
    }

    /** The resources with an ephemeral-storage request for the scratch space, unless the user gave one. */
    static ResourceRequirements withScratch(ResourceRequirements base, Plan plan) {
        Map<String, Quantity> requests = base.getRequests();
        if (requests != null && requests.containsKey("ephemeral-storage")) {
            return base;
        }
        return new ResourceRequirementsBuilder(base).addToRequests("ephemeral-storage", scratch(plan)).build();
    }

    static List<EnvVar> env(ResourceRequirements resources, Plan plan) {
        List<EnvVar> env = new ArrayList<>();
        if (has(resources.getRequests(), "cpu") || has(resources.getLimits(), "cpu")) {
            env.add(new EnvVarBuilder().withName(WorkerLaunch.THREADS).withNewValueFrom().withNewResourceFieldRef()
                    .withContainerName("worker").withResource("requests.cpu").withDivisor(new Quantity("1"))
                    .endResourceFieldRef().endValueFrom().build());
        }
        if (has(resources.getLimits(), "memory")) {
            // -Xmx, not a percentage: the image's entry point sets MaxRAMPercentage, and an explicit
            // heap size wins over it wherever it is given
            long heap = resources.getLimits().get("memory").getNumericalAmount().longValue() / 4;
            long direct = partitionsInFlight(plan) * largestPartition(plan) + DIRECT_HEADROOM;
            env.add(new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS")
                    .withValue("-Xmx" + (heap >> 20) + "m -XX:MaxDirectMemorySize=" + (direct >> 20) + "m").build());
        }
        return env;
    }

    private static boolean has(Map<String, Quantity> values, String name) {
        return values != null && values.containsKey(name);
    }

    private static Quantity bytes(long n) {
        long mi = (n + (1L << 20) - 1) >> 20;
        return new Quantity(Long.toString(mi), "Mi");
    }
}
