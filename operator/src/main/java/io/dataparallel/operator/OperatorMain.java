package io.dataparallel.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dataparallel.core.concurrent.DaemonThreads;
import io.dataparallel.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator pod's entry point: configuration from the mounted file and the environment,
 * the operator, and one HTTP port for /metrics (Prometheus), /healthz and /readyz.
 */
public final class OperatorMain {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);
    private static final long STOP_TIMEOUT_MS = 20_000;

    private OperatorMain() {
    }

    public static void main(String[] args) throws IOException {
        OperatorConfig config = OperatorConfig.load(System.getenv());
        KubernetesClient client = new KubernetesClientBuilder().build();
        String problem = ApiServerCheck.problem(client, config.watchNamespaces());
        if (problem != null) {
            LOG.error("the operator cannot start: {}", problem);
            System.exit(1);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String namespace = System.getenv().getOrDefault("POD_NAMESPACE", client.getNamespace());
        DataparallelOperator operator = new DataparallelOperator(client, config, registry,
                DataparallelOperator.Options.production(namespace));
        HttpServer http = HttpServer.create(new InetSocketAddress(config.metricsPort()), 0);
        http.createContext("/metrics", ex -> respond(ex, 200, registry.scrape()));
        http.createContext("/healthz", ex -> probe(ex, operator::isHealthy));
        http.createContext("/readyz", ex -> probe(ex, operator::isReady));
        http.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // a stop that hangs must not keep a pod that is going away alive: give it 20 s
            Thread stop = DaemonThreads.start("stop", () -> {
                operator.close();
                http.stop(1);
            });
            try {
                stop.join(STOP_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stop.isAlive()) {
                LOG.warn("the operator did not stop within {} ms; halting", STOP_TIMEOUT_MS);
                Runtime.getRuntime().halt(1);
            }
        }, "shutdown"));
        try {
            operator.start();
        } catch (RuntimeException e) {
            // /healthz says alive while starting: a start that fails (informers not synced in time) must end the
            // process itself so the pod restarts, instead of leaving the HTTP server's thread running
            LOG.error("the operator could not start: {}", e.getMessage());
            System.exit(1);
        }
        LOG.info("dataparallel operator started; watching {}; metrics on :{}",
                config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(), config.metricsPort());
    }

    private static void probe(HttpExchange ex, BooleanSupplier check) throws IOException {
        boolean ok = check.getAsBoolean();
        respond(ex, ok ? 200 : 503, ok ? "ok\n" : "not ready\n");
    }

    private static void respond(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
