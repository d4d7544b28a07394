package io.dataparallel.operator;

import io.dataparallel.api.InferenceJob;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * What the operator checks before its informers start: that the API server answers and serves
 * InferenceJobs to it. Left to the informers, an unreachable server or a missing CRD ends the
 * process with pages of the client library's stack traces in {@code kubectl logs}; this says in
 * one line what is wrong and what to do.
 */
final class ApiServerCheck {
    private ApiServerCheck() {
    }

    /** Null when the operator can start; else the problem and its fix. */
    static String problem(KubernetesClient client, List<String> watchNamespaces) {
        String server = client.getMasterUrl() == null ? "(no address)" : client.getMasterUrl().toString();
        try {
            client.getKubernetesVersion();
        } catch (KubernetesClientException e) {
            return "cannot reach the Kubernetes API server at " + server + ": " + cause(e) + ". In a pod the address comes from"
                    + " KUBERNETES_SERVICE_HOST and the service account's token; outside one, set KUBECONFIG or ~/.kube/config";
        }
        String where = watchNamespaces.isEmpty() ? "all namespaces" : "namespace " + watchNamespaces.get(0);
        try {
            var jobs = client.resources(InferenceJob.class);
            var list = new ListOptionsBuilder().withLimit(1L).build();
            if (watchNamespaces.isEmpty()) {
                jobs.inAnyNamespace().list(list);
            } else {
                jobs.inNamespace(watchNamespaces.get(0)).list(list);
            }
        } catch (KubernetesClientException e) {
            return switch (e.getCode()) {
                case 404 -> "the API server at " + server + " does not serve " + InferenceJob.GROUP + "/" + InferenceJob.VERSION
                        + " inferencejobs: install the CRD (kubectl apply -f crds/, or helm install, which installs it)";
                case 401, 403 -> "the API server at " + server + " refused to list InferenceJobs in " + where + " (HTTP " + e.getCode()
                        + "): the operator's service account needs the chart's ClusterRole (helm install sets it up)";
                default -> "listing InferenceJobs in " + where + " on " + server + " failed: " + cause(e);
            };
        }
        return null;
    }

    /** The innermost cause's message, or its type where it has none (an unresolved host has no message). */
    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String type = root.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
