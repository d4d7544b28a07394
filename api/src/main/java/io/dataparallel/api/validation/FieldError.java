package io.dataparallel.api.validation;

/**
 * One problem with a spec: the field by its path and what would be valid.
 *
 * @param field   spec path, for example {@code spec.data.fileLimit}
 * @param message what is wrong and how to fix it
 */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
