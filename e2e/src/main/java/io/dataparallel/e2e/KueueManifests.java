package io.dataparallel.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceConversion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kueue's own manifests from its release's {@code config/} (copied beside the binary by {@code e2e/build-kueue.sh}),
 * rendered as {@code config/default}'s kustomization renders them for the parts a Kueue outside a pod needs: the CRDs
 * with the conversion webhooks of {@code components/crd}'s patches, and the webhook configurations of
 * {@code components/webhook} with that kustomization's namespace selectors. The two renames kustomize makes are made
 * here ({@code namePrefix: kueue-}, namespace {@code system} to {@code kueue-system}); nothing else is changed, so the
 * names Kueue's internal certificate management writes its CA into are the names the release ships.
 */
final class KueueManifests {
    static final String NAMESPACE = "kueue-system";
    static final String PREFIX = "kueue-";
    /** The Service every webhook and conversion names, as rendered; Kueue's serving certificate is for {@code <it>.<ns>.svc}. */
    static final String WEBHOOK_SERVICE = PREFIX + "webhook-service";
    static final String WEBHOOK_SECRET = PREFIX + "webhook-server-cert";

    private final Path config;
    private final KubernetesClient client;

    /** @param config the release's {@code config/} folder */
    KueueManifests(Path config, KubernetesClient client) {
        this.config = config;
        this.client = client;
    }

    /** Every CRD {@code components/crd/kustomization.yaml} lists, each with the conversion of the patch it names, if any. */
    List<CustomResourceDefinition> crds() throws IOException {
        Path dir = config.resolve("components/crd");
        Map<String, Object> kustomization = yaml(dir.resolve("kustomization.yaml"));
        Map<String, CustomResourceConversion> conversions = new HashMap<>();
        for (Map<String, Object> patch : maps(kustomization.get("patches"))) {
            CustomResourceDefinition p = load(dir.resolve((String) patch.get("path")), CustomResourceDefinition.class).get(0);
            CustomResourceConversion conversion = p.getSpec().getConversion();
            if (conversion != null && conversion.getWebhook() != null) {
                var service = conversion.getWebhook().getClientConfig().getService();
                service.setName(PREFIX + service.getName());
                service.setNamespace(NAMESPACE);
                conversions.put(p.getMetadata().getName(), conversion);
            }
        }
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (Object resource : (List<?>) kustomization.get("resources")) {
            CustomResourceDefinition crd = load(dir.resolve((String) resource), CustomResourceDefinition.class).get(0);
            CustomResourceConversion conversion = conversions.get(crd.getMetadata().getName());
            if (conversion != null) {
                crd.getSpec().setConversion(conversion);
            }
            crds.add(crd);
        }
        return crds;
    }

    MutatingWebhookConfiguration mutating() throws IOException {
        MutatingWebhookConfiguration m = load(config.resolve("components/webhook/manifests.yaml"), MutatingWebhookConfiguration.class).get(0);
        Map<String, LabelSelector> selectors = namespaceSelectors("MutatingWebhookConfiguration");
        for (MutatingWebhook w : m.getWebhooks()) {
            rename(w.getClientConfig().getService());
            w.setNamespaceSelector(selectors.getOrDefault(w.getName(), w.getNamespaceSelector()));
        }
        m.getMetadata().setName(PREFIX + m.getMetadata().getName());
        return m;
    }

    ValidatingWebhookConfiguration validating() throws IOException {
        ValidatingWebhookConfiguration v = load(config.resolve("components/webhook/manifests.yaml"), ValidatingWebhookConfiguration.class).get(0);
        Map<String, LabelSelector> selectors = namespaceSelectors("ValidatingWebhookConfiguration");
        for (ValidatingWebhook w : v.getWebhooks()) {
            rename(w.getClientConfig().getService());
            w.setNamespaceSelector(selectors.getOrDefault(w.getName(), w.getNamespaceSelector()));
        }
        v.getMetadata().setName(PREFIX + v.getMetadata().getName());
        return v;
    }

    /**
     * The namespace selectors {@code components/webhook/kustomization.yaml} patches in, by webhook name: the pod,
     * deployment and statefulset webhooks leave kube-system and kueue-system alone (CoreDNS, Kueue itself).
     */
    private Map<String, LabelSelector> namespaceSelectors(String kind) throws IOException {
        Map<String, LabelSelector> selectors = new HashMap<>();
        for (Map<String, Object> patch : maps(yaml(config.resolve("components/webhook/kustomization.yaml")).get("patches"))) {
            Map<String, Object> doc = Serialization.unmarshal((String) patch.get("patch"), Map.class);
            if (!kind.equals(doc.get("kind"))) {
                continue;
            }
            for (Map<String, Object> w : maps(doc.get("webhooks"))) {
                selectors.put((String) w.get("name"), Serialization.jsonMapper().convertValue(w.get("namespaceSelector"), LabelSelector.class));
            }
        }
        return selectors;
    }

    /** kustomize's {@code namePrefix} and {@code namespace} on a reference to the webhook Service. */
    private static void rename(ServiceReference service) {
        service.setName(PREFIX + service.getName());
        service.setNamespace(NAMESPACE);
    }

    private <T extends HasMetadata> List<T> load(Path file, Class<T> kind) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items().stream().filter(kind::isInstance).map(kind::cast).toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return Serialization.unmarshal(Files.readString(file), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return list == null ? List.of() : (List<Map<String, Object>>) list;
    }
}
