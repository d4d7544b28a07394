package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (e2e/build-prometheus.sh) scrapes the operator as the chart ships it: it finds the
 * operator's Service by its prometheus.io annotations through Kubernetes service discovery against the
 * API server, with the community chart's relabelling, and the test asks it over its HTTP API what a user's
 * dashboard would. promtool, from the same release, checks the operator's own /metrics text.
 */
class PrometheusE2eTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path bin;
    private static Process prometheus;
    private static URI api;

    @BeforeAll
    static void startPrometheus() throws Exception {
        Assumptions.assumeTrue(E2e.cluster().jobsOnRealNode(), "the operator's pod has no address Prometheus can scrape on the process kubelet");
        bin = Path.of(Tools.run(E2e.REPO, List.of("bash", E2e.REPO.resolve("e2e/build-prometheus.sh").toString()), 3600)
                .strip().lines().reduce((a, b) -> b).orElseThrow());
        Path home = Files.createDirectories(E2e.STATE.resolve("prometheus"));
        Path config = home.resolve("prometheus.yml");
        Files.writeString(config, scrapeConfig(E2e.cluster().kubeconfig()));
        int port = Ports.free();
        api = URI.create("http://127.0.0.1:" + port);
        prometheus = new ProcessBuilder(bin.resolve("prometheus").toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();
        Cluster.awaitQuietly("Prometheus to scrape the operator's Service (log: " + home.resolve("prometheus.log") + ")", 120,
                () -> operatorTargetUp());
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    /**
     * The scrape job of the prometheus-community chart for annotated Services, every 1 s so a short job's
     * progress is seen. honor_labels keeps the per-job series' own namespace label (else exported_namespace).
     */
    static String scrapeConfig(Path kubeconfig) {
        return """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: kubernetes-service-endpoints
                    honor_labels: true
                    kubernetes_sd_configs:
                      - role: endpointslice
                        kubeconfig_file: %s
                    relabel_configs:
                      - {source_labels: [__meta_kubernetes_service_annotation_prometheus_io_scrape], action: keep, regex: "true"}
                      - {source_labels: [__meta_kubernetes_service_annotation_prometheus_io_path], action: replace, target_label: __metrics_path__, regex: (.+)}
                      - source_labels: [__address__, __meta_kubernetes_service_annotation_prometheus_io_port]
                        action: replace
                        regex: '([^:]+)(?::\\d+)?;(\\d+)'
                        replacement: $1:$2
                        target_label: __address__
                      - {source_labels: [__meta_kubernetes_service_name], target_label: service}
                      - {source_labels: [__meta_kubernetes_pod_name], target_label: pod}
                """.formatted(kubeconfig);
    }

    @Test
    void theRunningJobsPartitionsDoneRiseToTheTotalAndTheEndedCounterCountsIt() throws Exception {
        double endedBefore = scalar("sum(dataparallel_jobs_ended_total{phase=\"Succeeded\"})");
        String ns = E2e.namespace("prom");
        E2e.exampleData("e2e", ns, 6, 400);
        Instant start = Instant.now();
        E2e.apply(E2e.manifest(ns, "watched", "e2e", ns, 2, "batchSize: 32"));
        E2e.awaitPhase(ns, "watched", Phase.Succeeded, Duration.ofMinutes(5));
        String job = "{namespace=\"" + ns + "\",inferencejob=\"watched\"}";
        Cluster.awaitQuietly("Prometheus to scrape the job's end", 30,
                () -> scalar("max(dataparallel_partitions_done" + job + ")") == 6);

        List<Double> done = range("max(dataparallel_partitions_done" + job + ")", start, Instant.now());
        assertTrue(done.get(0) < 6, () -> "a scrape saw the job before it was done: " + done);
        for (int i = 1; i < done.size(); i++) {
            assertTrue(done.get(i) >= done.get(i - 1), "partitions done never fall: " + done);
        }
        assertEquals(6, done.get(done.size() - 1), done::toString);
        assertEquals(6, scalar("max(dataparallel_partitions" + job + ")"));
        assertEquals(0, scalar("max(dataparallel_partitions_failed" + job + ")"));
        Cluster.awaitQuietly("the ended counter to count the job", 30,
                () -> scalar("sum(dataparallel_jobs_ended_total{phase=\"Succeeded\"})") == endedBefore + 1);
        assertEquals(endedBefore + 1, scalar("sum(dataparallel_jobs_ended_total{phase=\"Succeeded\"})"), "counted once");
    }

    @Test
    void aJobThatFailsCountsInTheFailedSeriesAndTheDocumentedFailureQuery() throws Exception {
        String failed = "sum(dataparallel_jobs_ended_total{phase=\"Failed\"})";
        double before = scalar(failed);
        String ns = E2e.namespace("promfail");
        E2e.exampleData("e2e", ns, 1, 50);
        E2e.apply(E2e.manifest(ns, "doomed", "e2e", ns, 1).replace("uri: s3://e2e/" + ns + "/model.pt", "uri: s3://e2e/" + ns + "/missing.pt"));
        E2e.awaitPhase(ns, "doomed", Phase.Failed, Duration.ofMinutes(2));
        Cluster.awaitQuietly("the ended counter to count the failed job", 30, () -> scalar(failed) == before + 1);
        double succeeded = scalar("sum(dataparallel_jobs_ended_total{phase=\"Succeeded\"})");
        Thread.sleep(3_000); // later status writes of the failed job must not count it again
        assertEquals(before + 1, scalar(failed), "counted once");
        assertEquals(succeeded, scalar("sum(dataparallel_jobs_ended_total{phase=\"Succeeded\"})"), "not as a success");
        String documented = documentedQueries().stream().filter(q -> q.contains("phase=\"Failed\"")).findFirst().orElseThrow();
        assertTrue(scalar(documented) > 0, () -> documented + " after a job failed: " + scalar(documented));
    }

    @Test
    void promtoolFindsNothingWrongWithTheOperatorsMetrics() throws Exception {
        Pod operator = LeaderElectionE2eTest.operatorPod();
        String metrics = get(URI.create("http://" + operator.getStatus().getPodIP() + ":" + E2e.cluster().metricsPort() + "/metrics"));
        Process check = new ProcessBuilder(bin.resolve("promtool").toString(), "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String findings = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), findings);
        assertEquals("", findings.strip(), "promtool check metrics");
    }

    /** Every PromQL query docs/metrics.md gives answers without error, over the series this run produced. */
    @Test
    void theDocumentedQueriesRun() throws Exception {
        List<String> queries = documentedQueries();
        assertTrue(queries.size() >= 2, "docs/metrics.md gives a query for progress and one for failures: " + queries);
        for (String q : queries) {
            JsonNode answer = query(q);
            assertEquals("success", answer.path("status").asText(), () -> q + ": " + answer);
        }
    }

    private static List<String> documentedQueries() throws IOException {
        Matcher m = Pattern.compile("```promql\\n(.*?)\\n```", Pattern.DOTALL).matcher(Files.readString(E2e.REPO.resolve("docs/metrics.md")));
        List<String> queries = new ArrayList<>();
        while (m.find()) {
            queries.add(m.group(1).strip());
        }
        return queries;
    }

    private static boolean operatorTargetUp() {
        try {
            JsonNode targets = JSON.readTree(get(api.resolve("/api/v1/targets?state=active"))).path("data").path("activeTargets");
            for (JsonNode t : targets) {
                if ((Cluster.RELEASE + "-operator").equals(t.path("labels").path("service").asText()) && "up".equals(t.path("health").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // Prometheus still starting
        }
    }

    private static JsonNode query(String promql) throws IOException {
        return JSON.readTree(get(api.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))));
    }

    /** The single value of an instant query; NaN when it has none. */
    private static double scalar(String promql) {
        try {
            JsonNode result = query(promql).path("data").path("result");
            return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of a one-series range query, one per second. */
    private static List<Double> range(String promql, Instant from, Instant to) throws IOException {
        JsonNode result = JSON.readTree(get(api.resolve("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + from.getEpochSecond() + "&end=" + (to.getEpochSecond() + 1) + "&step=1"))).path("data").path("result");
        assertEquals(1, result.size(), result::toString);
        List<Double> values = new ArrayList<>();
        result.get(0).path("values").forEach(v -> values.add(Double.parseDouble(v.get(1).asText())));
        return values;
    }

    private static String get(URI uri) throws IOException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(uri + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
