package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 3: two operator replicas at once. Only the one holding the Lease reconciles: the
 * other is unready and sends no write to the API server (the audit log names the pod each request
 * came from); the leader killed (SIGKILL, its pod gone) the other takes the Lease within the
 * Lease's duration and finishes the jobs, with no duplicate child.
 *
 * <p>The second replica is the chart's pod template in a Deployment of its own rather than
 * {@code replicas: 2}: the harness runs every pod on 127.0.0.1 (no network namespaces), so two
 * replicas of one template would both bind the metrics port. Its copy of the chart's config differs
 * only in that port; it runs under the chart's ServiceAccount and competes for the chart's Lease.
 */
class OperatorReplicasE2eTest {
    static final String STANDBY = "standby-operator";
    private static final String CHART_OPERATOR = Cluster.RELEASE + "-operator";

    @Test
    void onlyTheLeaderReconcilesAndTheOtherTakesOverWithinTheLeaseDurationWhenItIsKilled() {
        String ns = E2e.namespace("replicas");
        E2e.exampleData("e2e", ns, 1, 50);
        String leader = LeaderElectionE2eTest.operatorPod().getMetadata().getName();
        Cluster.awaitQuietly("the chart's operator to hold the Lease", 120,
                () -> leader.equals(LeaderElectionE2eTest.lease().getSpec().getHolderIdentity()));
        try {
            startStandby();
            Pod standby = standbyPod();
            String standbyName = standby.getMetadata().getName();

            // with both running, jobs are reconciled by the leader alone
            E2e.apply(E2e.manifest(ns, "while-both", "e2e", ns, 1));
            Invariants.of(ns, "while-both").fault("two operator replicas").expect(Phase.Succeeded).within(Duration.ofMinutes(4))
                    .check();
            assertFalse(LeaderElectionE2eTest.ready(standbyPod()), "the replica without the Lease is unready");
            assertEquals(leader, LeaderElectionE2eTest.lease().getSpec().getHolderIdentity());
            AuditLog audit = AuditLog.read();
            assertTrue(audit.requests().stream().anyMatch(q -> standbyName.equals(q.pod())),
                    "the audit log names the standby replica's requests (bound service account token)");
            List<AuditLog.Request> writes = audit.writesBy(standbyName).stream()
                    .filter(q -> !q.resource().equals("selfsubjectrulesreviews")).toList(); // JOSDK's own RBAC check
            assertEquals(List.of(), writes, "the replica without the Lease changed nothing");

            // the leader killed: SIGKILL, then its pod removed so it cannot come back under its identity
            int leaseSeconds = LeaderElectionE2eTest.lease().getSpec().getLeaseDurationSeconds();
            E2e.apply(E2e.manifest(ns, "across", "e2e", ns, 1));
            long killed = System.nanoTime();
            assertTrue(E2e.cluster().killPod(Cluster.RELEASE_NAMESPACE, leader), "the leader runs");
            E2e.admin().apps().deployments().inNamespace(Cluster.RELEASE_NAMESPACE).withName(CHART_OPERATOR).scale(0);
            Cluster.awaitQuietly("the standby replica to take the Lease", leaseSeconds + 60,
                    () -> standbyName.equals(LeaderElectionE2eTest.lease().getSpec().getHolderIdentity()));
            double tookSeconds = (System.nanoTime() - killed) / 1e9;
            // the Lease runs out leaseSeconds after the last renewal, which was at most a retry period before the kill
            assertTrue(tookSeconds <= leaseSeconds + 10, () -> "took over " + tookSeconds + " s after the kill; the Lease lasts "
                    + leaseSeconds + " s");
            Cluster.awaitQuietly("the new leader to be ready", 60, () -> LeaderElectionE2eTest.ready(standbyPod()));
            E2e.apply(E2e.manifest(ns, "after", "e2e", ns, 1));
            for (String job : List.of("across", "after")) {
                Invariants.of(ns, job).fault("operator leader SIGKILL, standby took over in " + Math.round(tookSeconds) + " s")
                        .expect(Phase.Succeeded).within(Duration.ofMinutes(4)).check();
            }
            System.out.printf("OperatorReplicasE2eTest: standby took the Lease %.1f s after the leader was killed (Lease %d s)%n",
                    tookSeconds, leaseSeconds);
        } finally {
            restoreChartOperator();
        }
    }

    /** The chart's Deployment and config copied under another name, on another metrics port. */
    private static void startStandby() {
        var admin = E2e.admin();
        ConfigMap config = admin.configMaps().inNamespace(Cluster.RELEASE_NAMESPACE).withName(CHART_OPERATOR).get();
        int port = Ports.free();
        String yaml = config.getData().get("operator.yaml").replaceAll("(?m)^metricsPort: \\d+$", "metricsPort: " + port);
        assertNotEquals(config.getData().get("operator.yaml"), yaml, "the chart's config names metricsPort");
        admin.configMaps().inNamespace(Cluster.RELEASE_NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(STANDBY).withNamespace(Cluster.RELEASE_NAMESPACE).endMetadata()
                .withData(Map.of("operator.yaml", yaml)).build()).create();

        Deployment chart = admin.apps().deployments().inNamespace(Cluster.RELEASE_NAMESPACE).withName(CHART_OPERATOR).get();
        Map<String, String> labels = new LinkedHashMap<>(chart.getSpec().getSelector().getMatchLabels());
        labels.put("app.kubernetes.io/component", STANDBY); // not the chart's selector, nor what operatorPod() looks for
        Deployment standby = new DeploymentBuilder(chart).withNewMetadata().withName(STANDBY).withNamespace(Cluster.RELEASE_NAMESPACE)
                .withLabels(labels).endMetadata()
                .editSpec().withReplicas(1).editSelector().withMatchLabels(labels).endSelector()
                .editTemplate().editMetadata().withLabels(labels).endMetadata().endTemplate().endSpec()
                .withStatus(null).build();
        var pod = standby.getSpec().getTemplate().getSpec();
        pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).forEach(v -> v.getConfigMap().setName(STANDBY));
        for (ContainerPort p : pod.getContainers().get(0).getPorts()) {
            p.setContainerPort(port);
        }
        admin.apps().deployments().inNamespace(Cluster.RELEASE_NAMESPACE).resource(standby).create();
        Cluster.awaitQuietly("the standby operator's container to run and answer its probes", 120, () -> {
            Pod p = standbyPodOrNull();
            return p != null && p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                    && !p.getStatus().getContainerStatuses().isEmpty()
                    && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null
                    && "Running".equals(p.getStatus().getPhase());
        });
        // past its readiness probe's first periods: unready because it does not hold the Lease, not because it is starting
        E2e.sleep(15_000);
    }

    private static Pod standbyPod() {
        Pod p = standbyPodOrNull();
        assertTrue(p != null, "the standby operator pod exists");
        return p;
    }

    private static Pod standbyPodOrNull() {
        return E2e.admin().pods().inNamespace(Cluster.RELEASE_NAMESPACE).withLabel("app.kubernetes.io/component", STANDBY)
                .list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElse(null);
    }

    /** Back to the chart's one operator, leading and ready, for the tests that follow. */
    private static void restoreChartOperator() {
        var admin = E2e.admin();
        admin.apps().deployments().inNamespace(Cluster.RELEASE_NAMESPACE).withName(STANDBY).delete();
        admin.configMaps().inNamespace(Cluster.RELEASE_NAMESPACE).withName(STANDBY).delete();
        admin.apps().deployments().inNamespace(Cluster.RELEASE_NAMESPACE).withName(CHART_OPERATOR).scale(1);
        Cluster.awaitQuietly("the standby gone and the chart's operator leading and ready again", 180, () -> {
            List<Pod> pods = admin.pods().inNamespace(Cluster.RELEASE_NAMESPACE).withLabel("app.kubernetes.io/component", STANDBY)
                    .list().getItems();
            if (!pods.isEmpty()) {
                return false;
            }
            Pod chart = admin.pods().inNamespace(Cluster.RELEASE_NAMESPACE).withLabel("app.kubernetes.io/component", "operator")
                    .list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElse(null);
            return chart != null && LeaderElectionE2eTest.ready(chart)
                    && chart.getMetadata().getName().equals(LeaderElectionE2eTest.lease().getSpec().getHolderIdentity());
        });
    }
}
