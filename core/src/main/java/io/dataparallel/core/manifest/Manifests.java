package io.dataparallel.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.spec.InferenceJobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads InferenceJob manifests for local mode with the same rules as the CRD: the right
 * apiVersion and kind, a valid name, and no unknown fields under {@code spec}. Every
 * problem names the field by its path.
 */
public final class Manifests {
    public static final String API_VERSION = "dataparallel.io/v1alpha1";
    public static final String KIND = "InferenceJob";
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // workers: 2.5 is a mistake to report, not a 2 to run with
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private Manifests() {
    }

    public static Manifest read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException("MANIFEST", file + " does not exist: give the path of an InferenceJob YAML file");
        } catch (IOException e) {
            throw new BadInputException("MANIFEST", "cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static Manifest parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadInputException("MANIFEST", source + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException("MANIFEST", source + " is not an InferenceJob: expected a YAML object with apiVersion, kind, metadata and spec");
        }
        String apiVersion = root.path("apiVersion").asText("");
        String kind = root.path("kind").asText("");
        if (!KIND.equals(kind)) {
            throw new BadInputException("kind", "is '" + kind + "' in " + source + ": this command runs kind: " + KIND);
        }
        if (!API_VERSION.equals(apiVersion)) {
            throw new BadInputException("apiVersion", "is '" + apiVersion + "' in " + source + ": use apiVersion: " + API_VERSION);
        }
        String name = root.path("metadata").path("name").asText("");
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new BadInputException("metadata.name", "'" + name + "' is not a valid name: use up to 63 lowercase letters,"
                    + " digits and '-', starting and ending with a letter or digit");
        }
        String namespace = root.path("metadata").path("namespace").asText("default");
        JsonNode spec = root.get("spec");
        if (spec == null || !spec.isObject()) {
            throw new BadInputException("spec", "is missing in " + source + ": an InferenceJob needs spec.model, spec.data and spec.output");
        }
        try {
            return new Manifest(new JobRef(namespace, name, ""), YAML.treeToValue(spec, InferenceJobSpec.class));
        } catch (UnrecognizedPropertyException e) {
            Set<String> known = new TreeSet<>();
            e.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            throw new BadInputException(path(e), "is not a field of InferenceJob: valid fields here are " + known);
        } catch (JsonMappingException e) {
            throw new BadInputException(path(e), TypeErrors.message(e, TypeErrors.at(spec, e)));
        } catch (JsonProcessingException e) {
            throw new BadInputException("spec", "cannot be read as an InferenceJob spec: compare it with examples/astro-redshift.yaml");
        }
    }

    private static String path(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        parts.add("spec");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                parts.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "[" + ref.getIndex() + "]");
            }
        }
        return String.join(".", parts);
    }
}
