package io.dataparallel.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as a kubelet builds it: the image's ENV, then the pod's {@code env}
 * with {@code fieldRef}, {@code resourceFieldRef}, {@code secretKeyRef} and
 * {@code configMapKeyRef} resolved and {@code $(VAR)} expanded, then the service variables of
 * the API server. Values naming a path inside a mounted volume are rewritten to the folder that
 * stands for it ({@link PodFiles}).
 */
final class PodEnv {
    private static final Pattern FIELD_KEY = Pattern.compile("metadata\\.(annotations|labels)\\['(.+)'\\]");
    private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    private PodEnv() {
    }

    /** Thrown when a referenced Secret or key is missing (CreateContainerConfigError). */
    static final class ConfigError extends Exception {
        ConfigError(String message) {
            super(message);
        }
    }

    static Map<String, String> build(KubernetesClient client, Pod pod, Container container, Node node,
                                     Map<String, String> imageEnv, PodFiles files, int apiPort) throws ConfigError {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>(imageEnv);
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", files.root().toString());
        env.put("HOSTNAME", pod.getSpec().getHostname() != null ? pod.getSpec().getHostname() : pod.getMetadata().getName());
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            String value;
            if (var.getValueFrom() == null) {
                value = expand(var.getValue() == null ? "" : var.getValue(), env);
            } else if (var.getValueFrom().getFieldRef() != null) {
                value = field(pod, var.getValueFrom().getFieldRef().getFieldPath());
            } else if (var.getValueFrom().getResourceFieldRef() != null) {
                value = resource(container, node, var.getValueFrom().getResourceFieldRef());
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                Secret s = client.secrets().inNamespace(ns).withName(ref.getName()).get();
                String data = s == null || s.getData() == null ? null : s.getData().get(ref.getKey());
                if (data == null) {
                    if (Boolean.TRUE.equals(ref.getOptional())) {
                        continue;
                    }
                    throw new ConfigError(s == null ? "secret \"" + ref.getName() + "\" not found"
                            : "couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
                }
                value = new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
            } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                ConfigMap cm = client.configMaps().inNamespace(ns).withName(ref.getName()).get();
                String data = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
                if (data == null) {
                    if (Boolean.TRUE.equals(ref.getOptional())) {
                        continue;
                    }
                    throw new ConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
                }
                value = data;
            } else {
                continue;
            }
            env.put(var.getName(), value == null ? "" : value);
        }
        // the in-cluster address of the API server, as the kubelet injects for the kubernetes Service
        env.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        env.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiPort));
        for (Map.Entry<String, String> e : env.entrySet()) {
            String mapped = e.getKey().equals("PATH") ? null : files.map(e.getValue());
            if (mapped != null) {
                e.setValue(mapped);
            }
        }
        if (files.mounted(SA_DIR)) {
            // without a mount namespace the token is not at the well-known path: point the
            // Kubernetes client at where it is (Fabric8 reads these, as it documents)
            env.put("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN", files.map(SA_DIR + "/token"));
            env.put("KUBERNETES_CERTS_CA_FILE", files.map(SA_DIR + "/ca.crt"));
        }
        return env;
    }

    /** The downward API's {@code fieldRef} values. */
    static String field(Pod pod, String path) {
        Matcher m = FIELD_KEY.matcher(path);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("annotations") ? pod.getMetadata().getAnnotations()
                    : pod.getMetadata().getLabels();
            return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> pod.getMetadata().getName();
            case "metadata.namespace" -> pod.getMetadata().getNamespace();
            case "metadata.uid" -> pod.getMetadata().getUid();
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.podIP", "status.hostIP" -> "127.0.0.1";
            default -> "";
        };
    }

    /** {@code resourceFieldRef}: the container's request or limit, the node's allocatable for an absent limit. */
    static String resource(Container c, Node node, ResourceFieldSelector ref) {
        String[] parts = ref.getResource().split("\\.", 2);
        String kind = parts[0];
        String name = parts[1];
        Map<String, Quantity> values = c.getResources() == null ? null
                : kind.equals("limits") ? c.getResources().getLimits() : c.getResources().getRequests();
        Quantity q = values == null ? null : values.get(name);
        if (q == null && kind.equals("requests") && c.getResources() != null && c.getResources().getLimits() != null) {
            q = c.getResources().getLimits().get(name); // requests default to limits
        }
        if (q == null) {
            q = kind.equals("limits") ? node.getStatus().getAllocatable().get(name) : new Quantity("0");
        }
        BigDecimal amount = q.getNumericalAmount();
        BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : ref.getDivisor().getNumericalAmount();
        // the kubelet rounds up (a request of 500m with divisor 1 gives 1)
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static String expand(String value, Map<String, String> env) {
        Matcher m = VAR.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
