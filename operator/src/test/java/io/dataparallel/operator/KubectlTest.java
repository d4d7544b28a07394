package io.dataparallel.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.harness.OperatorFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against the mock API server: what a user types to watch a job. The
 * build installs kubectl with helm (charts module) when the machine has none.
 */
class KubectlTest {
    @TempDir
    static Path tmp;
    static OperatorFixture f;
    static Path kubectl;

    @BeforeAll
    static void start() throws Exception {
        kubectl = findKubectl();
        f = new OperatorFixture(tmp);
        f.startOperator();
        f.apply("astro-kubectl", f.spec("s3://out/kubectl/", 2));
        f.awaitPhase("astro-kubectl", Phase.Succeeded);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static Path findKubectl() {
        Path built = Path.of("../charts/target/tools/bin/kubectl").toAbsolutePath().normalize();
        if (Files.isExecutable(built)) {
            return built;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "kubectl");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no kubectl: the charts module's build installs one into charts/target/tools/bin");
    }

    static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(kubectl.toString(), "--server", f.cluster.url(), "--insecure-skip-tls-verify=true",
                "--token", "test", "--cache-dir", tmp.resolve("kube-cache").toString(), "-n", OperatorFixture.NAMESPACE));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", tmp.resolve("no-kubeconfig").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl finished");
        assertEquals(0, p.exitValue(), "kubectl " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void getInferenceJobsListsTheJob() throws Exception {
        String out = kubectl("get", "inferencejobs");
        assertTrue(out.contains("astro-kubectl"), out);
        String columns = kubectl("get", "ij", "-o",
                "custom-columns=NAME:.metadata.name,PHASE:.status.phase,PROGRESS:.status.progress,WORKERS:.status.workers");
        assertTrue(columns.lines().anyMatch(l -> l.matches("astro-kubectl\\s+Succeeded\\s+6/6\\s+2")), columns);
    }

    @Test
    void getAsYamlShowsStatusAndMetrics() throws Exception {
        String yaml = kubectl("get", "ij", "astro-kubectl", "-o", "yaml");
        assertTrue(yaml.contains("phase: Succeeded"), yaml);
        assertTrue(yaml.contains("samplesPerSecond:"), yaml);
        assertTrue(yaml.contains("type: Complete"), yaml);
        String jobs = kubectl("get", "jobs", "-l", "dataparallel.io/job=astro-kubectl", "-o", "name");
        assertTrue(jobs.contains("job.batch/astro-kubectl-workers") && jobs.contains("job.batch/astro-kubectl-summary"), jobs);
    }
}
