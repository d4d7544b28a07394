package io.dataparallel.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's volumes materialised as folders, as a kubelet mounts them: configMap and secret
 * keys as files, emptyDir as an empty folder, projected service account tokens from the
 * TokenRequest API (bound to the pod, as a kubelet asks for them). With no container runtime
 * there is no mount namespace: {@link #map} turns a path inside the container into the folder
 * that stands for it, and the kubelet rewrites the environment with it.
 */
final class PodFiles {
    /** Thrown while a volume's source is not there yet: a kubelet retries, the pod stays ContainerCreating. */
    static final class NotReady extends Exception {
        NotReady(String message) {
            super(message);
        }
    }

    private final KubernetesClient client;
    private final Pod pod;
    private final Path root;
    private final Path caCert;
    /** mountPath → local folder, longest first so nested mounts win. */
    private final Map<String, Path> mounts = new LinkedHashMap<>();

    PodFiles(KubernetesClient client, Pod pod, Path root, Path caCert) {
        this.client = client;
        this.pod = pod;
        this.root = root;
        this.caCert = caCert;
    }

    void materialise(Container container) throws IOException, NotReady {
        List<VolumeMount> volumeMounts = container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            Path dir = Files.createDirectories(root.resolve("volumes").resolve(v.getName()));
            if (v.getConfigMap() != null) {
                writeKeys(dir, configMap(v.getConfigMap().getName(), v.getConfigMap().getOptional()), v.getConfigMap().getItems());
            } else if (v.getSecret() != null) {
                writeKeys(dir, secret(v.getSecret().getSecretName(), v.getSecret().getOptional()), v.getSecret().getItems());
            } else if (v.getProjected() != null) {
                for (VolumeProjection source : v.getProjected().getSources()) {
                    project(dir, source);
                }
            } else if (v.getEmptyDir() == null) {
                throw new IOException("volume " + v.getName() + ": only configMap, secret, projected and emptyDir are supported");
            }
            byName.put(v.getName(), dir);
        }
        volumeMounts.stream()
                .sorted((a, b) -> b.getMountPath().length() - a.getMountPath().length())
                .forEach(m -> {
                    Path dir = byName.get(m.getName());
                    if (dir != null) {
                        mounts.put(strip(m.getMountPath()), m.getSubPath() == null || m.getSubPath().isEmpty()
                                ? dir : dir.resolve(m.getSubPath()));
                    }
                });
    }

    /** The local path that stands for {@code path} inside the container, or null when no volume holds it. */
    String map(String path) {
        for (Map.Entry<String, Path> m : mounts.entrySet()) {
            if (path.equals(m.getKey()) || path.startsWith(m.getKey() + "/")) {
                return m.getValue() + path.substring(m.getKey().length());
            }
        }
        return null;
    }

    boolean mounted(String mountPath) {
        return mounts.containsKey(strip(mountPath));
    }

    Path root() {
        return root;
    }

    private void project(Path dir, VolumeProjection source) throws IOException, NotReady {
        String ns = pod.getMetadata().getNamespace();
        if (source.getServiceAccountToken() != null) {
            var spec = source.getServiceAccountToken();
            TokenRequest request = new TokenRequestBuilder().withNewSpec()
                    .withAudiences(spec.getAudience() == null ? List.of() : List.of(spec.getAudience()))
                    .withExpirationSeconds(spec.getExpirationSeconds() == null ? 3607L : spec.getExpirationSeconds())
                    .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid()).endBoundObjectRef().endSpec().build();
            String account = pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
            TokenRequest token = client.serviceAccounts().inNamespace(ns).withName(account).tokenRequest(request);
            Files.writeString(dir.resolve(spec.getPath()), token.getStatus().getToken());
        } else if (source.getConfigMap() != null) {
            writeKeys(dir, configMap(source.getConfigMap().getName(), source.getConfigMap().getOptional()),
                    source.getConfigMap().getItems());
        } else if (source.getDownwardAPI() != null) {
            for (var item : source.getDownwardAPI().getItems()) {
                String value = item.getFieldRef() != null ? PodEnv.field(pod, item.getFieldRef().getFieldPath()) : "";
                Files.writeString(dir.resolve(item.getPath()), value == null ? "" : value);
            }
        } else if (source.getSecret() != null) {
            writeKeys(dir, secret(source.getSecret().getName(), source.getSecret().getOptional()), source.getSecret().getItems());
        }
    }

    /** A ConfigMap's keys (data and binaryData); empty when it is missing and optional, NotReady when required. */
    private Map<String, byte[]> configMap(String name, Boolean optional) throws NotReady {
        ConfigMap cm = client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
        if (cm == null) {
            return missing("configmap", name, optional);
        }
        Map<String, byte[]> all = new LinkedHashMap<>(text(cm.getData()));
        all.putAll(binary(cm.getBinaryData()));
        return all;
    }

    /** A Secret's keys; empty when it is missing and optional, NotReady when required. */
    private Map<String, byte[]> secret(String name, Boolean optional) throws NotReady {
        Secret s = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
        return s == null ? missing("secret", name, optional) : binary(s.getData());
    }

    private static Map<String, byte[]> missing(String kind, String name, Boolean optional) throws NotReady {
        if (Boolean.TRUE.equals(optional)) {
            return Map.of();
        }
        throw new NotReady(kind + " \"" + name + "\" not found");
    }

    private static void writeKeys(Path dir, Map<String, byte[]> all, List<KeyToPath> items) throws IOException {
        if (items == null || items.isEmpty()) {
            for (var e : all.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
            return;
        }
        for (KeyToPath item : items) {
            byte[] bytes = all.get(item.getKey());
            if (bytes != null) {
                Path file = dir.resolve(item.getPath());
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
            }
        }
    }

    private static Map<String, byte[]> text(Map<String, String> data) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static Map<String, byte[]> binary(Map<String, String> base64) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (base64 != null) {
            base64.forEach((k, v) -> out.put(k, Base64.getDecoder().decode(v)));
        }
        return out;
    }

    private static String strip(String path) {
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }

    Path caCert() {
        return caCert;
    }
}
