package io.dataparallel.api.plan;

/**
 * The model object ({@code spec.model.uri}) as the planner found it. Predictions record it,
 * so a run with a different model is refused instead of resuming from another model's outputs.
 *
 * @param etag   the object's ETag, unquoted
 * @param size   its size in bytes
 * @param format what its content is, {@code TorchScript} or {@code ONNX} (core's {@code ModelFormat} titles);
 *               null in plans made before the format was recorded
 */
public record ModelObject(String etag, long size, String format) {
    /** A model object of unrecorded format: for plans built by hand. */
    public ModelObject(String etag, long size) {
        this(etag, size, null);
    }
}
