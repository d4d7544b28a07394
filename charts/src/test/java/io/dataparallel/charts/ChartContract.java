package io.dataparallel.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What must hold whatever the values: each values set gets a subclass with its own checks. */
abstract class ChartContract {
    static final String OPERATOR = "dataparallel-operator";
    /** The keys OperatorConfig reads; it refuses any other. */
    static final Set<String> CONFIG_KEYS = Set.of("watchNamespaces", "workerImage", "gpuWorkerImage", "workerImagePullPolicy",
            "workerServiceAccount", "workerServiceAccountAnnotations", "maxWorkers", "pollIntervalSeconds", "defaultNodePool", "nodePools",
            "defaultWorkerResources", "metricsPort", "leaderElection");
    /** What the operator does in each namespace it watches. */
    static final Set<String> NAMESPACE_GRANTS = Stream.of(
            grants("dataparallel.io/inferencejobs", "list watch"),
            grants("dataparallel.io/inferencejobs/status", "patch update"),
            grants("dataparallel.io/inferencejobs/finalizers", "update"),
            grants("batch/jobs", "get list watch create patch"),
            grants("/pods", "list"),
            grants("/configmaps", "get create"),
            grants("/secrets", "get"),
            grants("/serviceaccounts", "get create"),
            grants("/events", "create get patch"))
            .flatMap(Set::stream).collect(Collectors.toSet());

    abstract Rendered rendered();

    static Set<String> grants(String groupResource, String verbs) {
        return Stream.of(verbs.split(" ")).map(verb -> groupResource + ":" + verb).collect(Collectors.toSet());
    }

    Deployment deployment() {
        return rendered().named(Deployment.class, Helm.NAMESPACE, OPERATOR);
    }

    Container operatorContainer() {
        List<Container> containers = deployment().getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    int metricsPort() {
        return (Integer) rendered().operatorConfig().get("metricsPort");
    }

    @Test
    void everyObjectReadsBackAsItsKubernetesTypeWithNoUnknownField() {
        for (HasMetadata object : rendered().objects()) {
            boolean serviceMonitor = "ServiceMonitor".equals(object.getKind());
            assertEquals(serviceMonitor, object instanceof GenericKubernetesResource,
                    () -> object.getKind() + " " + object.getMetadata().getName() + " read back as " + object.getClass().getName());
            assertEquals(List.of(), Rendered.unknownFields(object, object.getKind()), "fields Kubernetes would reject or ignore");
        }
    }

    @Test
    void everyObjectHasTheStandardLabels() {
        Map<String, String> standard = Map.of(
                "app.kubernetes.io/name", "dataparallel",
                "app.kubernetes.io/instance", Helm.RELEASE,
                "app.kubernetes.io/version", "0.1.0",
                "app.kubernetes.io/managed-by", "Helm",
                "helm.sh/chart", "dataparallel-0.1.0");
        for (HasMetadata object : rendered().objects()) {
            Map<String, String> labels = object.getMetadata().getLabels();
            assertTrue(labels.entrySet().containsAll(standard.entrySet()),
                    () -> object.getKind() + " " + object.getMetadata().getName() + " labels " + labels);
        }
    }

    @Test
    void rbacHasNoWildcards() {
        Stream<PolicyRule> rules = Stream.concat(
                rendered().all(Role.class).stream().flatMap(r -> r.getRules().stream()),
                rendered().all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()));
        rules.forEach(rule -> {
            for (List<String> values : List.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames())) {
                assertFalse(values.stream().anyMatch(v -> v.contains("*")), () -> "wildcard in " + rule);
            }
        });
    }

    @Test
    void leaderElectionRoleIsLimitedToTheConfiguredLease() {
        @SuppressWarnings("unchecked")
        Map<String, Object> election = (Map<String, Object>) rendered().operatorConfig().get("leaderElection");
        assertEquals(true, election.get("enabled"));
        assertEquals(OPERATOR, election.get("leaseName"));
        Role role = rendered().named(Role.class, Helm.NAMESPACE, OPERATOR + "-leader-election");
        assertEquals(Set.of("coordination.k8s.io/leases:create", "coordination.k8s.io/leases/" + OPERATOR + ":get",
                "coordination.k8s.io/leases/" + OPERATOR + ":update", "coordination.k8s.io/leases/" + OPERATOR + ":patch"),
                Rendered.grants(role.getRules()));
        RoleBinding binding = rendered().named(RoleBinding.class, Helm.NAMESPACE, OPERATOR + "-leader-election");
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertOperatorIsTheOnlySubject(binding.getSubjects());
    }

    @Test
    void operatorPodIsNonRootWithReadOnlyRoot() {
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        assertEquals(true, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(10001L, pod.getSecurityContext().getRunAsUser());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        var security = operatorContainer().getSecurityContext();
        assertEquals(true, security.getRunAsNonRoot());
        assertEquals(10001L, security.getRunAsUser());
        assertEquals(true, security.getReadOnlyRootFilesystem());
        assertEquals(false, security.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
        assertEquals(List.of(), security.getCapabilities().getAdd());
        assertEquals("RuntimeDefault", security.getSeccompProfile().getType());
        assertEquals(OPERATOR, pod.getServiceAccountName());

        Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        Map<String, String> mounts = operatorContainer().getVolumeMounts().stream()
                .collect(Collectors.toMap(m -> m.getMountPath(), m -> m.getName()));
        assertNotNull(volumes.get(mounts.get("/tmp")).getEmptyDir(), "/tmp is an emptyDir: the root file system is read-only");
        assertEquals(OPERATOR, volumes.get(mounts.get("/etc/dataparallel")).getConfigMap().getName());
        assertTrue(deployment().getSpec().getTemplate().getMetadata().getAnnotations().containsKey("checksum/config"));
    }

    @Test
    void probesAndPortFollowMetricsPort() {
        Container container = operatorContainer();
        assertEquals(1, container.getPorts().size());
        assertEquals("http", container.getPorts().get(0).getName());
        assertEquals(metricsPort(), container.getPorts().get(0).getContainerPort());
        assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("http", container.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/readyz", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http", container.getReadinessProbe().getHttpGet().getPort().getStrVal());
    }

    @Test
    void operatorEnvironment() {
        Map<String, EnvVar> env = operatorContainer().getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals("/etc/dataparallel/operator.yaml", env.get("DATAPARALLEL_CONFIG").getValue());
        assertEquals("metadata.namespace", env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath());
        assertNotNull(env.get("JAVA_TOOL_OPTIONS").getValue());
    }

    @Test
    void serviceSelectsOnlyTheOperatorPods() {
        Service service = rendered().named(Service.class, Helm.NAMESPACE, OPERATOR);
        Map<String, String> selector = service.getSpec().getSelector();
        Map<String, String> podLabels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), () -> selector + " does not select " + podLabels);
        assertEquals(deployment().getSpec().getSelector().getMatchLabels(), selector);
        assertEquals(1, service.getSpec().getPorts().size());
        assertEquals(metricsPort(), service.getSpec().getPorts().get(0).getPort());
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        Pod test = rendered().one(Pod.class);
        assertFalse(test.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()), "the test pod would get the Service's traffic");
    }

    @Test
    void helmTestAsksReadyzThroughTheService() {
        Pod test = rendered().one(Pod.class);
        assertEquals("test", test.getMetadata().getAnnotations().get("helm.sh/hook"));
        assertEquals("Never", test.getSpec().getRestartPolicy());
        String script = String.join(" ", test.getSpec().getContainers().get(0).getCommand());
        String url = "http://" + OPERATOR + "." + Helm.NAMESPACE + ".svc:" + metricsPort() + "/readyz";
        assertTrue(script.contains(url), () -> script + " does not ask " + url);
    }

    @Test
    void workerServiceAccountHasNoTokenAndNoRole() {
        String name = (String) rendered().operatorConfig().get("workerServiceAccount");
        List<ServiceAccount> accounts = rendered().all(ServiceAccount.class).stream()
                .filter(a -> a.getMetadata().getName().equals(name)).toList();
        assertFalse(accounts.isEmpty(), "no ServiceAccount " + name);
        accounts.forEach(a -> assertEquals(false, a.getAutomountServiceAccountToken(), a.getMetadata().getNamespace() + "/" + name));
        Stream<Subject> subjects = Stream.concat(
                rendered().all(RoleBinding.class).stream().flatMap(b -> b.getSubjects().stream()),
                rendered().all(ClusterRoleBinding.class).stream().flatMap(b -> b.getSubjects().stream()));
        subjects.forEach(s -> assertFalse(name.equals(s.getName()), "the worker account is bound: " + s));
    }

    @Test
    void operatorConfigHasExactlyTheKeysTheOperatorReads() {
        assertEquals(CONFIG_KEYS, rendered().operatorConfig().keySet());
    }

    static void assertOperatorIsTheOnlySubject(List<Subject> subjects) {
        assertEquals(1, subjects.size());
        assertEquals("ServiceAccount", subjects.get(0).getKind());
        assertEquals(OPERATOR, subjects.get(0).getName());
        assertEquals(Helm.NAMESPACE, subjects.get(0).getNamespace());
    }
}
