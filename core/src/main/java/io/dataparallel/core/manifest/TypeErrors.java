package io.dataparallel.core.manifest;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Says in the user's words what a manifest field should have been. Jackson's own messages
 * name Java types ({@code java.lang.Integer}), which mean nothing to someone writing YAML.
 */
final class TypeErrors {
    private TypeErrors() {
    }

    /**
     * The message for a field whose value does not fit its type.
     *
     * @param given the value the manifest has at the field, or null when it cannot be found
     */
    static String message(JsonMappingException e, JsonNode given) {
        if (e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null) {
            // our own constructors and parsers (Device, ...) already speak the user's language
            return e.getCause().getMessage();
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        String expected = expected(target);
        if (given == null) {
            return "is not " + expected;
        }
        if (given.isArray()) {
            return "is a list, not " + expected;
        }
        if (given.isObject()) {
            return "is an object, not " + expected;
        }
        String shown = given.isTextual() ? "\"" + given.asText() + "\"" : given.asText();
        return shown + " is not " + expected;
    }

    /** What a value of {@code target} is called in YAML terms. */
    static String expected(Class<?> target) {
        if (target == null) {
            return "the right kind of value";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class
                || target == short.class || target == Short.class || target == BigInteger.class) {
            return "a whole number";
        }
        if (target == double.class || target == Double.class || target == float.class || target == Float.class
                || target == BigDecimal.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list of names, e.g. [a, b]";
        }
        if (target == String.class) {
            return "text";
        }
        if (Map.class.isAssignableFrom(target)) {
            return "an object of names and values";
        }
        return "an object with fields";
    }

    /** The node at the path Jackson reports, under {@code spec}. */
    static JsonNode at(JsonNode spec, JsonMappingException e) {
        JsonNode node = spec;
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (node == null) {
                return null;
            }
            node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
        }
        return node;
    }
}
