package io.dataparallel.api.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * The CRD's schema of {@code spec.resources}, Kubernetes' ResourceRequirements with the descriptions
 * the Fabric8 model classes do not carry (the generator reads it through {@code @SchemaFrom}; the spec
 * itself holds a {@link io.fabric8.kubernetes.api.model.ResourceRequirements}). Same shape, so the
 * schema accepts exactly what it accepted before.
 */
public record ResourceRequirementsSchema(
        @JsonPropertyDescription("Dynamic resources (DRA) each worker container uses, by the name of a pod resource claim.")
        List<Claim> claims,
        @JsonPropertyDescription("The most of each resource a worker may use, as Kubernetes quantities (cpu: \"4\","
                + " memory: 8Gi). A worker killed for memory is named in the job's message with limits.memory to raise.")
        Map<String, Quantity> limits,
        @JsonPropertyDescription("The resources each worker is scheduled with and billed for, as Kubernetes quantities"
                + " (cpu: \"2\", memory: 4Gi).")
        Map<String, Quantity> requests) {

    /** One resource claim of {@code claims}. */
    public record Claim(
            @JsonPropertyDescription("The name of one of the pod's resourceClaims.")
            String name,
            @JsonPropertyDescription("The request of that claim to use; empty means the whole claim.")
            String request) {
    }
}
