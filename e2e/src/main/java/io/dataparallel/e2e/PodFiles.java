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
        String ns = pod.getMetadata().getNamespace();
        List<VolumeMount> volumeMounts = container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            Path dir = Files.createDirectories(root.resolve("volumes").resolve(v.getName()));
            if (v.getConfigMap() != null) {
                ConfigMap cm = client.configMaps().inNamespace(ns).withName(v.getConfigMap().getName()).get();
                if (cm == null) {
                    if (Boolean.TRUE.equals(v.getConfigMap().getOptional())) {
                        continue;
                    }
                    throw new NotReady("configmap \"" + v.getConfigMap().getName() + "\" not found");
                }
                writeKeys(dir, text(cm.getData()), binary(cm.getBinaryData()), v.getConfigMap().getItems());
            } else if (v.getSecret() != null) {
                Secret s = client.secrets().inNamespace(ns).withName(v.getSecret().getSecretName()).get();
                if (s == null) {
                    if (Boolean.TRUE.equals(v.getSecret().getOptional())) {
                        continue;
                    }
                    throw new NotReady("secret \"" + v.getSecret().getSecretName() + "\" not found");
                }
                writeKeys(dir, Map.of(), binary(s.getData()), v.getSecret().getItems());
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
            ConfigMap cm = client.configMaps().inNamespace(ns).withName(source.getConfigMap().getName()).get();
            if (cm == null) {
                throw new NotReady("configmap \"" + source.getConfigMap().getName() + "\" not found");
            }
            writeKeys(dir, text(cm.getData()), binary(cm.getBinaryData()), source.getConfigMap().getItems());
        } else if (source.getDownwardAPI() != null) {
            for (var item : source.getDownwardAPI().getItems()) {
                String value = item.getFieldRef() != null ? PodEnv.field(pod, item.getFieldRef().getFieldPath()) : "";
                Files.writeString(dir.resolve(item.getPath()), value == null ? "" : value);
            }
        } else if (source.getSecret() != null) {
            Secret s = client.secrets().inNamespace(ns).withName(source.getSecret().getName()).get();
            if (s == null) {
                throw new NotReady("secret \"" + source.getSecret().getName() + "\" not found");
            }
            writeKeys(dir, Map.of(), binary(s.getData()), source.getSecret().getItems());
        }
    }

    private static void writeKeys(Path dir, Map<String, byte[]> text, Map<String, byte[]> binary, List<KeyToPath> items)
            throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>(text);
        all.putAll(binary);
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
