package io.dataparallel.operator.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.core.testing.Images;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator image as images/build.sh builds it from operator/Dockerfile (run after package): its user, that it
 * carries the operator and none of the worker's engines, and that under the pod's restrictions with no API server to
 * reach it ends at once with one line saying so (what {@code kubectl logs} shows), not a library's stack traces.
 */
class OperatorImageIT {
    private static String image;

    @BeforeAll
    static void build() throws Exception {
        Assumptions.assumeTrue(Images.buildable(), "no podman, and no apt-get as root to install it: the operator image is not built");
        image = Images.build("operator");
    }

    @Test
    void runsAsUser10001AndExposesTheMetricsPort() throws Exception {
        assertEquals("10001", Images.podman(List.of("image", "inspect", "--format", "{{.Config.User}}", image)).trim());
        String ports = Images.podman(List.of("image", "inspect", "--format", "{{range $p, $v := .Config.ExposedPorts}}{{$p}} {{end}}", image));
        assertTrue(ports.contains("8080/tcp"), ports);
    }

    @Test
    void holdsTheOperatorAndNoneOfTheWorkersEngines() throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        args.addAll(Images.ULIMITS);
        args.addAll(List.of("--entrypoint", "sh", image, "-c", "ls /app /app/lib"));
        String listing = Images.podman(args);
        assertTrue(listing.lines().anyMatch(l -> l.matches("dataparallel-operator-[^-]+(-SNAPSHOT)?\\.jar")), listing);
        assertFalse(listing.lines().anyMatch(l -> l.endsWith("-tests.jar")), "a tests jar is shipped:\n" + listing);
        assertFalse(listing.lines().anyMatch(l -> l.startsWith("pytorch-") || l.startsWith("onnxruntime") || l.startsWith("api-0")),
                "the worker's engines are in the operator image:\n" + listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("kubernetes-client-")), listing);
    }

    @Test
    void withNoApiServerItEndsWithOneLineThatSaysSo() throws Exception {
        Images.Result run = Images.runRestricted(image, "512m", 120, List.of());
        assertEquals(1, run.rc(), run.out());
        assertTrue(run.out().contains("the operator cannot start: cannot reach the Kubernetes API server at"), run.out());
        assertFalse(run.out().lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")), "a stack trace:\n" + run.out());
    }
}
