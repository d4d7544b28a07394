package io.dataparallel.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm template with the chart's own values: cluster-wide mode. */
class DefaultValuesTest extends ChartContract {
    private static Rendered rendered;

    @BeforeAll
    static void render() {
        rendered = Rendered.of();
    }

    @Override
    Rendered rendered() {
        return rendered;
    }

    @Test
    void rendersTheExpectedObjects() {
        assertEquals(Set.of(
                "ServiceAccount ops/dataparallel-operator", "ServiceAccount ops/dataparallel-worker",
                "ConfigMap ops/dataparallel-operator", "ClusterRole null/dataparallel-operator",
                "ClusterRoleBinding null/dataparallel-operator", "Role ops/dataparallel-operator-leader-election",
                "RoleBinding ops/dataparallel-operator-leader-election", "Service ops/dataparallel-operator",
                "Deployment ops/dataparallel-operator", "Pod ops/dataparallel-operator-test-readyz"),
                new HashSet<>(Rendered.names(rendered.objects())));
    }

    @Test
    void watchesAllNamespacesThroughOneClusterRole() {
        ClusterRole role = rendered.one(ClusterRole.class);
        assertEquals(NAMESPACE_GRANTS, Rendered.grants(role.getRules()));
        ClusterRoleBinding binding = rendered.one(ClusterRoleBinding.class);
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertOperatorIsTheOnlySubject(binding.getSubjects());
        // The only namespaced Role is leader election's.
        assertEquals(List.of(OPERATOR + "-leader-election"), rendered.all(Role.class).stream().map(r -> r.getMetadata().getName()).toList());
        assertEquals(1, rendered.all(RoleBinding.class).size());
    }

    @Test
    void noServiceMonitorUnlessAskedFor() {
        assertEquals(List.of(), rendered.ofKind("monitoring.coreos.com/v1", "ServiceMonitor"));
    }

    @Test
    void theServiceCarriesPrometheusScrapeAnnotations() {
        Service service = rendered.named(Service.class, Helm.NAMESPACE, OPERATOR);
        assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/port", "8080", "prometheus.io/path", "/metrics"),
                service.getMetadata().getAnnotations());
    }

    @Test
    void deploymentDefaults() {
        Deployment deployment = deployment();
        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals("ghcr.io/dataparallel/operator:0.1.0", operatorContainer().getImage());
        assertEquals("IfNotPresent", operatorContainer().getImagePullPolicy());
        assertEquals("-XX:MaxRAMPercentage=75", operatorContainer().getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue());
    }

    @Test
    void workerAccountOnlyInTheReleaseNamespace() {
        assertEquals(List.of("ops/dataparallel-worker"), rendered.all(ServiceAccount.class).stream()
                .filter(a -> a.getMetadata().getName().endsWith("-worker"))
                .map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName()).toList());
    }

    @Test
    void operatorConfigHasTheDefaults() throws Exception {
        String expected = """
                watchNamespaces: []
                workerImage: ghcr.io/dataparallel/worker:0.1.0
                gpuWorkerImage: ghcr.io/dataparallel/worker-gpu:0.1.0
                workerImagePullPolicy: IfNotPresent
                workerServiceAccount: dataparallel-worker
                workerServiceAccountAnnotations: {}
                maxWorkers: 1000
                pollIntervalSeconds: 10
                defaultNodePool: cpu-default
                nodePools:
                  cpu-default: {nodeSelector: {}, tolerations: [], gpu: false, prices: {cpuHour: 0, gibHour: 0, gpuHour: 0},
                                workerSizes: [{cpu: "1", memory: 3Gi}, {cpu: "2", memory: 4Gi}, {cpu: "4", memory: 8Gi}]}
                  gpu: {nodeSelector: {nvidia.com/gpu.present: "true"}, tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}], gpu: true,
                        prices: {cpuHour: 0, gibHour: 0, gpuHour: 0}, workerSizes: []}
                defaultWorkerResources: {requests: {cpu: "2", memory: 4Gi}, limits: {memory: 8Gi}}
                metricsPort: 8080
                leaderElection: {enabled: true, leaseName: dataparallel-operator}
                """;
        assertEquals(new ObjectMapper(new YAMLFactory()).readValue(expected, Map.class), rendered.operatorConfig());
    }
}
