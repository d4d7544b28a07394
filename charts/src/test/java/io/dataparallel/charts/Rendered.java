package io.dataparallel.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** What helm template rendered, and the lookups the chart tests share. */
record Rendered(List<HasMetadata> objects) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Rendered of(Path... valuesFiles) {
        return new Rendered(Helm.template(valuesFiles));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        assertEquals(1, found.size(), () -> "expected one " + type.getSimpleName() + ", found " + names(found));
        return found.get(0);
    }

    <T extends HasMetadata> T named(Class<T> type, String namespace, String name) {
        List<T> found = all(type).stream()
                .filter(o -> name.equals(o.getMetadata().getName()) && Objects.equals(namespace, o.getMetadata().getNamespace()))
                .toList();
        assertEquals(1, found.size(), () -> "expected " + type.getSimpleName() + " " + namespace + "/" + name + " once, found " + names(all(type)));
        return found.get(0);
    }

    List<GenericKubernetesResource> ofKind(String apiVersion, String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(o -> apiVersion.equals(o.getApiVersion()) && kind.equals(o.getKind())).toList();
    }

    /** The operator.yaml key of the operator ConfigMap, parsed. */
    @SuppressWarnings("unchecked")
    Map<String, Object> operatorConfig() {
        String yaml = named(ConfigMap.class, Helm.NAMESPACE, "dataparallel-operator")
                .getData().get("operator.yaml");
        try {
            return YAML.readValue(yaml, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("operator.yaml is not YAML:\n" + yaml, e);
        }
    }

    /** "Kind namespace/name" of each object (namespace null when cluster-scoped). */
    static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()).toList();
    }

    /** Rules flattened to "group/resource[/names]:verb", so sets compare regardless of grouping. */
    static Set<String> grants(List<PolicyRule> rules) {
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            String names = rule.getResourceNames().isEmpty() ? "" : "/" + String.join(",", rule.getResourceNames());
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(group + "/" + resource + names + ":" + verb);
                    }
                }
            }
        }
        return grants;
    }

    /**
     * Fields Fabric8 did not recognise: its model keeps them in additionalProperties instead of
     * failing, so a misspelt field (readOnlyRootFileSystem) would otherwise pass unseen.
     */
    static List<String> unknownFields(Object value, String path) {
        List<String> unknown = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknown.addAll(unknownFields(list.get(i), path + "[" + i + "]"));
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknown.addAll(unknownFields(item, path + "." + key)));
        } else if (value != null && !(value instanceof GenericKubernetesResource)
                && value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            for (Method getter : value.getClass().getMethods()) {
                if (getter.getParameterCount() > 0 || Modifier.isStatic(getter.getModifiers())
                        || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                    continue;
                }
                Object field = invoke(getter, value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknown.addAll(unknownFields(field, path + "." + getter.getName().substring(3)));
                }
            }
        }
        return unknown;
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter + ": " + e.getMessage(), e);
        }
    }
}
