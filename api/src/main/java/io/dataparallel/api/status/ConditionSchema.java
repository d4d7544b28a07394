package io.dataparallel.api.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The CRD's schema of one {@code status.conditions} entry: Kubernetes' Condition with the descriptions
 * the Fabric8 model class does not carry (the generator reads it through {@code @SchemaFrom}; status
 * itself holds {@link io.fabric8.kubernetes.api.model.Condition}s). Same shape and types, so the
 * schema accepts exactly what it accepted before; type and reason stay strings so that a status
 * written by an older operator still validates.
 */
public record ConditionSchema(
        @JsonPropertyDescription("When status last changed, RFC 3339; a new message or reason alone does not move it.")
        String lastTransitionTime,
        @JsonPropertyDescription("What happened, for people; for Failed, what failed and what to do.")
        String message,
        @JsonPropertyDescription("The metadata.generation of the spec the condition was set for.")
        Long observedGeneration,
        @JsonPropertyDescription("Why, in one CamelCase word, one of the Reason values in docs/status.md (AllPartitionsDone,"
                + " PartialSuccess, WorkersFailed, InvalidSpec, ...); a Failed condition and its Warning Event carry the same.")
        String reason,
        @JsonPropertyDescription("True or False; a condition not reached yet is absent.")
        String status,
        @JsonPropertyDescription("One of Planned, Progressing, Complete, Failed, Suspended, SpecChangeRefused,"
                + " WorkersUnschedulable, WorkersStuckTerminating (ConditionType, see docs/status.md).")
        String type) {
}
