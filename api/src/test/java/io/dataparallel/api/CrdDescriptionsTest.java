package io.dataparallel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataparallel.api.status.ConditionType;
import io.dataparallel.api.status.Phase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl explain inferencejob.spec.data} prints each field's description: every property of the
 * generated CRD, spec and status, nested ones included, must have one (from the API records'
 * {@code @JsonPropertyDescription}, their one source). The committed CRD is the generated one ({@link CrdDriftTest}).
 */
class CrdDescriptionsTest {

    @Test
    void everyPropertyHasADescription() throws Exception {
        JsonNode schema = openApiSchema();
        List<String> all = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        walk(schema, "", all, missing);
        assertTrue(all.size() > 100, "found only " + all.size() + " properties: is this the InferenceJob CRD?");
        assertEquals(List.of(), missing, missing.size() + " of " + all.size() + " CRD properties have no description:"
                + " add @JsonPropertyDescription to the record component (or its @SchemaFrom schema) in api/");
    }

    @Test
    void phaseAndConditionTypeDescriptionsNameEveryValue() throws Exception {
        JsonNode status = openApiSchema().path("properties").path("status").path("properties");
        String phase = status.path("phase").path("description").asText();
        for (Phase p : Phase.values()) {
            assertTrue(phase.contains(p.name()), "status.phase's description does not name " + p);
        }
        String type = status.path("conditions").path("items").path("properties").path("type").path("description").asText();
        String conditions = status.path("conditions").path("description").asText();
        for (ConditionType t : ConditionType.values()) {
            assertTrue(type.contains(t.name()), "status.conditions[].type's description does not name " + t);
            assertTrue(conditions.contains(t.name()), "status.conditions' description does not name " + t);
        }
    }

    static JsonNode openApiSchema() throws Exception {
        JsonNode crd = CrdDriftTest.YAML.readTree(CrdDriftTest.GENERATED.toFile());
        return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    }

    /** Every entry under a {@code properties}, through objects, array items and map values. */
    static void walk(JsonNode node, String path, List<String> all, List<String> missing) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String at = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
            all.add(at);
            if (p.getValue().path("description").asText().isBlank()) {
                missing.add(at);
            }
            walk(p.getValue(), at, all, missing);
        }
        if (node.has("items")) {
            walk(node.get("items"), path + "[]", all, missing);
        }
        if (node.path("additionalProperties").isObject()) {
            walk(node.get("additionalProperties"), path + "{}", all, missing);
        }
    }
}
