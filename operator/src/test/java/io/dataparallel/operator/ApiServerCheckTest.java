package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator's first check says in one line what keeps it from starting. */
class ApiServerCheckTest {
    private static final String VERSION = "{\"major\":\"1\",\"minor\":\"37\",\"gitVersion\":\"v1.37.0\"}";

    @Test
    void anUnreachableServerIsNamedWithItsAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(2_000).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            String problem = ApiServerCheck.problem(client, List.of());
            assertTrue(problem.startsWith("cannot reach the Kubernetes API server at http://127.0.0.1:" + port), problem);
            assertTrue(problem.contains("KUBECONFIG"), problem);
        }
    }

    @Test
    void aMissingCrdSaysHowToInstallIt() {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            server.expect().get().withPath("/version").andReturn(200, VERSION).always();
            String problem = ApiServerCheck.problem(client, List.of());
            assertTrue(problem.contains("does not serve dataparallel.io/v1alpha1 inferencejobs: install the CRD"), problem);
        } finally {
            server.destroy();
        }
    }

    @Test
    void aForbiddenListNamesTheNamespaceAndTheRole() {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            server.expect().get().withPath("/version").andReturn(200, VERSION).always();
            server.expect().get().withPath("/apis/dataparallel.io/v1alpha1/namespaces/science/inferencejobs?limit=1")
                    .andReturn(403, "{\"kind\":\"Status\",\"code\":403}").always();
            String problem = ApiServerCheck.problem(client, List.of("science"));
            assertTrue(problem.contains("refused to list InferenceJobs in namespace science (HTTP 403)"), problem);
        } finally {
            server.destroy();
        }
    }

    @Test
    void aServerThatServesInferenceJobsPasses() {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            server.expect().get().withPath("/version").andReturn(200, VERSION).always();
            server.expect().get().withPath("/apis/dataparallel.io/v1alpha1/inferencejobs?limit=1")
                    .andReturn(200, "{\"apiVersion\":\"dataparallel.io/v1alpha1\",\"kind\":\"InferenceJobList\",\"items\":[]}").always();
            assertNull(ApiServerCheck.problem(client, List.of()));
        } finally {
            server.destroy();
        }
    }
}
