package io.dataparallel.api.plan;

/**
 * The model object ({@code spec.model.uri}) as the planner found it. Predictions record it,
 * so a run with a different model is refused instead of resuming from another model's outputs.
 *
 * @param etag the object's ETag, unquoted
 * @param size its size in bytes
 */
public record ModelObject(String etag, long size) {
}
