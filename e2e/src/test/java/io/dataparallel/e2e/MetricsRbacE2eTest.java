package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 12 on the real API server: with two watched namespaces the chart grants the
 * operator Roles in those namespaces only, so the metrics gauges must read InferenceJobs
 * namespace by namespace. The chart's RBAC for two namespaces is rendered under a release of its
 * own (its ServiceAccount and bindings beside the installed operator's, no second Deployment),
 * and the operator's metrics caches run with that account's token.
 */
class MetricsRbacE2eTest {
    static final String RELEASE = "metrics-rbac";
    static final String ACCOUNT = RELEASE + "-dataparallel-operator";

    @Test
    void gaugesCountTheJobsOfBothWatchedNamespacesWithNo403() throws Exception {
        String home = E2e.namespace("metrics-home");
        List<String> watched = List.of(E2e.namespace("metrics-a"), E2e.namespace("metrics-b"));
        applyChartRbac(home, watched);
        String user = "system:serviceaccount:" + home + ":" + ACCOUNT;
        for (String ns : watched) {
            E2e.exampleData("e2e", ns, 1, 50);
            E2e.apply(E2e.manifest(ns, "counted", "e2e", ns, 1, "suspend: true"));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KubernetesClient operator = clientFor(home)) {
            List<SharedIndexInformer<InferenceJob>> caches = OperatorMetrics.caches(operator, watched);
            OperatorMetrics.register(registry, caches, () -> true);
            caches.forEach(SharedIndexInformer::start);
            try {
                // the installed operator (all namespaces) gives both jobs a phase; the gauges count jobs by phase
                Cluster.awaitQuietly("the gauges to count both jobs", 120, () -> jobs(registry) == 2);
                assertTrue(caches.stream().allMatch(SharedIndexInformer::hasSynced), "every cache synced");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the account's requests: " + calls(user), e);
            } finally {
                caches.forEach(SharedIndexInformer::close);
            }
        }
        List<String> calls = calls(user);
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("list dataparallel.io/inferencejobs " + watched.get(0) + " ")), calls::toString);
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("list dataparallel.io/inferencejobs " + watched.get(1) + " ")), calls::toString);
        assertEquals(List.of(), calls.stream().filter(c -> c.endsWith(" 403")).toList(), "requests the chart's RBAC refused");
    }

    /** The sum of dataparallel_jobs over phases. */
    private static double jobs(SimpleMeterRegistry registry) {
        return registry.find("dataparallel_jobs").gauges().stream().mapToDouble(Gauge::value).sum();
    }

    /**
     * {@code helm template} of the chart for {@code watched}, under a release of its own in
     * {@code home}; only the operator's ServiceAccount and the Roles and RoleBindings in the
     * watched namespaces are applied.
     */
    private static void applyChartRbac(String home, List<String> watched) throws IOException, InterruptedException {
        Path out = Files.createDirectories(E2e.STATE.resolve("rendered").resolve(RELEASE));
        E2e.cluster().tools().helm(E2e.cluster().kubeconfig(), "template", RELEASE, E2e.REPO.resolve("charts/dataparallel").toString(),
                "--namespace", home, "--set", "watchNamespaces={" + String.join(",", watched) + "}",
                "--output-dir", out.toString());
        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    objects.addAll(E2e.admin().load(in).items());
                }
            }
        }
        Set<String> namespaces = Set.copyOf(watched);
        List<HasMetadata> rbac = objects.stream().filter(o -> switch (o.getKind()) {
            case "Role", "RoleBinding" -> namespaces.contains(o.getMetadata().getNamespace());
            case "ServiceAccount" -> ACCOUNT.equals(o.getMetadata().getName());
            default -> false;
        }).toList();
        assertEquals(5, rbac.size(), () -> "a Role and a RoleBinding per watched namespace and the account: " + rbac);
        rbac.forEach(o -> E2e.admin().resource(o).create());
    }

    /** A client that authenticates as the rendered operator account, with a token from the TokenRequest API. */
    private static KubernetesClient clientFor(String home) {
        String token = E2e.admin().serviceAccounts().inNamespace(home).withName(ACCOUNT)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Config admin = E2e.admin().getConfiguration();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(admin.getMasterUrl()).withCaCertFile(admin.getCaCertFile())
                .withCaCertData(admin.getCaCertData()).withOauthToken(token).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** {@code verb group/resource namespace code} of every request {@code user} made, from the audit log. */
    private static List<String> calls(String user) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(E2e.cluster().auditLog())) {
            JsonNode e = json.readTree(line);
            if (user.equals(e.path("user").path("username").asText())) {
                JsonNode ref = e.path("objectRef");
                out.add(e.path("verb").asText() + " " + ref.path("apiGroup").asText("") + "/" + ref.path("resource").asText() + " "
                        + ref.path("namespace").asText("(all)") + " " + e.path("responseStatus").path("code").asInt());
            }
        }
        return out;
    }
}
