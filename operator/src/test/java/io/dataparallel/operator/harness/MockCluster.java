package io.dataparallel.operator.harness;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The API server for tests: Fabric8's mock in CRUD mode, with the InferenceJob CRD
 * installed from crds/ and discovery documents served so the real kubectl works against it.
 */
public final class MockCluster implements AutoCloseable {
    public static final Path CRD = repoRoot().resolve("crds/inferencejobs.dataparallel.io.yaml");

    private final KubernetesMockServer server;
    private final DiscoveryDispatcher dispatcher;

    /** Requests answered so far and the time spent answering them. */
    public record Load(long requests, long busyNanos) {
        public Load minus(Load earlier) {
            return new Load(requests - earlier.requests, busyNanos - earlier.busyNanos);
        }
    }
    private final NamespacedKubernetesClient client;

    public MockCluster() {
        dispatcher = new DiscoveryDispatcher();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
        try (InputStream in = Files.newInputStream(CRD)) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NamespacedKubernetesClient client() {
        return client;
    }

    public Map<String, Long> requestKinds() {
        Map<String, Long> m = new TreeMap<>();
        dispatcher.kinds.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public Load load() {
        return new Load(dispatcher.requests.sum(), dispatcher.busyNanos.sum());
    }

    /** A new client to the same server (an operator that restarts gets a new one). */
    public NamespacedKubernetesClient newClient() {
        return server.createClient();
    }

    public String url() {
        return client.getMasterUrl().toString();
    }

    public void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("crds"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no crds/ above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /**
     * CRUD storage plus the discovery endpoints kubectl asks for first (/version, /api,
     * /apis, group versions), which the plain CRUD mock answers with stored objects instead.
     */
    static final class DiscoveryDispatcher extends KubernetesCrudDispatcher {
        final LongAdder requests = new LongAdder();
        final LongAdder busyNanos = new LongAdder();
        final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();

        /** Counts requests and the time the mock spends answering them (it answers one at a time). */
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            long t0 = System.nanoTime();
            // kind of request: method and resource, with namespace and object names dropped
            String path = request.getPath() == null ? "" : request.getPath().replaceAll("\\?.*", "")
                    .replaceAll("/namespaces/[^/]+", "/namespaces/*")
                    .replaceAll("(/namespaces/\\*/[^/]+)/[^/]+", "$1/{name}");
            String kind = request.getMethod() + " " + path;
            kinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
            try {
                return super.dispatch(request);
            } finally {
                busyNanos.add(System.nanoTime() - t0);
                requests.increment();
            }
        }

        @Override
        public MockResponse handleGet(String path) {
            String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            String body = Discovery.document(p);
            if (body != null) {
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
            }
            return super.handleGet(path);
        }

        /**
         * JOSDK asks, before leader election, whether it may use Leases; answer as an API
         * server would with the chart's Role (get, create, update on leases).
         */
        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody("""
                        {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},"spec":{},
                         "status":{"incomplete":false,"nonResourceRules":[],"resourceRules":[
                           {"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["get","create","update"]}]}}""");
            }
            return super.handleCreate(request);
        }
    }
}
