package io.dataparallel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD ({@code crds/}) is what the Fabric8 generator makes from the classes
 * (at process-classes), with the printer columns in the order {@code kubectl get} should
 * show them (the generator sorts them by JSON path). Run with {@code -Dcrd.update=true}
 * to rewrite the committed file after changing the API.
 */
class CrdDriftTest {
    static final List<String> COLUMN_ORDER = List.of("Phase", "Progress", "Workers", "Samples/s", "Age", "Deadline", "Predicted-s", "Cost");
    static final Path GENERATED = Path.of("target/classes/META-INF/fabric8/inferencejobs.dataparallel.io-v1.yml");
    public static final Path COMMITTED = Path.of("../crds/inferencejobs.dataparallel.io.yaml");
    static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

    @Test
    void committedCrdMatchesTheClasses() throws Exception {
        JsonNode generated = ordered(YAML.readTree(GENERATED.toFile()));
        if (Boolean.getBoolean("crd.update")) {
            Files.writeString(COMMITTED, "# Generated from api/ by the Fabric8 CRD generator (see CrdDriftTest). Do not edit.\n"
                    + YAML.writeValueAsString(generated));
        }
        assertTrue(Files.exists(COMMITTED), "crds/ has no CRD: run mvn -pl api test -Dcrd.update=true");
        assertEquals(generated, YAML.readTree(COMMITTED.toFile()),
                "crds/ differs from the CRD generated from api/: run mvn -pl api test -Dcrd.update=true and commit");
    }

    static JsonNode ordered(JsonNode crd) {
        for (JsonNode version : crd.path("spec").path("versions")) {
            ArrayNode columns = (ArrayNode) version.get("additionalPrinterColumns");
            ArrayNode sorted = YAML.createArrayNode();
            for (String name : COLUMN_ORDER) {
                for (JsonNode c : columns) {
                    if (name.equals(c.path("name").asText())) {
                        sorted.add(c);
                    }
                }
            }
            assertEquals(columns.size(), sorted.size(), "a printer column is missing from COLUMN_ORDER");
            ((ObjectNode) version).set("additionalPrinterColumns", sorted);
        }
        return crd;
    }
}
