package io.dataparallel.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm template with src/test/resources/values-custom.yaml: namespaced mode, ServiceMonitor, two replicas. */
class CustomValuesTest extends ChartContract {
    private static Rendered rendered;

    static Path valuesFile() {
        try {
            return Path.of(CustomValuesTest.class.getResource("/values-custom.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void render() {
        rendered = Rendered.of(valuesFile());
    }

    @Override
    Rendered rendered() {
        return rendered;
    }

    @Test
    void roleAndRoleBindingInEachWatchedNamespace() {
        for (String namespace : List.of("team-a", "team-b")) {
            Role role = rendered.named(Role.class, namespace, OPERATOR);
            assertEquals(NAMESPACE_GRANTS, Rendered.grants(role.getRules()));
            RoleBinding binding = rendered.named(RoleBinding.class, namespace, OPERATOR);
            assertEquals("Role", binding.getRoleRef().getKind());
            assertEquals(OPERATOR, binding.getRoleRef().getName());
            assertOperatorIsTheOnlySubject(binding.getSubjects());
        }
        assertEquals(3, rendered.all(Role.class).size(), "two watched namespaces and leader election");
    }

    @Test
    void nothingClusterWide() {
        assertEquals(List.of(), rendered.all(ClusterRole.class));
        assertEquals(List.of(), rendered.all(ClusterRoleBinding.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serviceMonitorScrapesTheOperatorService() {
        List<GenericKubernetesResource> monitors = rendered.ofKind("monitoring.coreos.com/v1", "ServiceMonitor");
        assertEquals(1, monitors.size());
        GenericKubernetesResource monitor = monitors.get(0);
        assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
        Map<String, String> matchLabels = monitor.get("spec", "selector", "matchLabels");
        Service service = rendered.named(Service.class, Helm.NAMESPACE, OPERATOR);
        assertTrue(service.getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet()));
        Map<String, Object> endpoint = ((List<Map<String, Object>>) monitor.get("spec", "endpoints")).get(0);
        assertEquals(Map.of("port", "http", "path", "/metrics", "interval", "15s", "honorLabels", true), endpoint);
        assertEquals(Map.of(), service.getMetadata().getAnnotations(), "metrics.scrapeAnnotations: false");
    }

    @Test
    void deploymentFollowsTheValues() {
        assertEquals(2, deployment().getSpec().getReplicas());
        assertEquals("registry.example.com/dp/operator:0.2.0", operatorContainer().getImage());
        assertEquals("Always", operatorContainer().getImagePullPolicy());
        assertEquals(List.of(new LocalObjectReference("registry-creds")),
                deployment().getSpec().getTemplate().getSpec().getImagePullSecrets());
        assertEquals(Map.of("kubernetes.io/os", "linux"), deployment().getSpec().getTemplate().getSpec().getNodeSelector());
        assertEquals("-XX:MaxRAMPercentage=60 -Xss512k", operatorContainer().getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue());
        assertEquals("1Gi", operatorContainer().getResources().getLimits().get("memory").toString());
        assertEquals(9090, operatorContainer().getPorts().get(0).getContainerPort());
    }

    @Test
    void workerAccountInEveryNamespaceWhereWorkersRun() {
        List<ServiceAccount> accounts = rendered.all(ServiceAccount.class).stream()
                .filter(a -> a.getMetadata().getName().equals("batch-worker")).toList();
        assertEquals(List.of("ops", "team-a", "team-b"), accounts.stream().map(a -> a.getMetadata().getNamespace()).toList());
        accounts.forEach(a -> assertEquals("arn:aws:iam::123456789012:role/dp-worker",
                a.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn")));
    }

    @Test
    void operatorConfigHasTheGivenValues() throws Exception {
        String expected = """
                watchNamespaces: [team-a, team-b]
                workerImage: registry.example.com/dp/worker:0.2.0
                gpuWorkerImage: registry.example.com/dp/worker-gpu:0.2.0-cuda12
                workerImagePullPolicy: Always
                workerServiceAccount: batch-worker
                workerServiceAccountAnnotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/dp-worker"}
                maxWorkers: 64
                pollIntervalSeconds: 30
                defaultNodePool: spot
                nodePools:
                  spot: {nodeSelector: {karpenter.sh/capacity-type: spot}, tolerations: [{key: spot, operator: Equal, value: "true", effect: NoSchedule}], gpu: false}
                  a100: {nodeSelector: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB}, tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}], gpu: true}
                defaultWorkerResources: {requests: {cpu: "4", memory: 8Gi}, limits: {memory: 16Gi}}
                metricsPort: 9090
                leaderElection: {enabled: true, leaseName: dataparallel-operator}
                """;
        assertEquals(new ObjectMapper(new YAMLFactory()).readValue(expected, Map.class), rendered.operatorConfig());
    }
}
