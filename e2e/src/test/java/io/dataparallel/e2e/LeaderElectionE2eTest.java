package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Suite item 5 and issue 10 item 1: under the chart's RBAC the operator renews its Lease (a
 * merge patch) period after period and keeps reconciling; when it does not hold the Lease its
 * readiness turns false, and it takes over again once the Lease is free.
 */
class LeaderElectionE2eTest {
    static final String LEASE = "dataparallel-operator";

    @Test
    void theOperatorRenewsItsLeaseAndIsUnreadyWhileAnotherHoldsIt() {
        E2e.cluster();
        Lease first = lease();
        String holder = first.getSpec().getHolderIdentity();
        Set<ZonedDateTime> renewals = new LinkedHashSet<>();
        Cluster.awaitQuietly("three renewals of the leader Lease by one holder", 60, () -> {
            Lease l = lease();
            assertEquals(holder, l.getSpec().getHolderIdentity(), "the leader changed");
            renewals.add(l.getSpec().getRenewTime());
            return renewals.size() >= 4;
        });
        assertTrue(ready(operatorPod()), "the leading operator is ready");

        // an intruder takes the Lease: the operator stops leading, its readiness turns false
        Lease taken = lease();
        taken.getSpec().setHolderIdentity("intruder");
        taken.getSpec().setLeaseDurationSeconds(45);
        taken.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
        taken.getSpec().setAcquireTime(ZonedDateTime.now(ZoneOffset.UTC));
        E2e.admin().leases().inNamespace(Cluster.RELEASE_NAMESPACE).resource(taken).update();
        Cluster.awaitQuietly("the operator pod to turn unready while it does not hold the Lease", 40,
                () -> !ready(operatorPod()));
        assertEquals("intruder", lease().getSpec().getHolderIdentity());

        // the intruder's Lease runs out: the operator leads again, is ready and reconciles
        Cluster.awaitQuietly("the operator to take the Lease back and be ready", 120,
                () -> !"intruder".equals(lease().getSpec().getHolderIdentity()) && ready(operatorPod()));
        String ns = E2e.namespace("leader");
        E2e.apply(E2e.manifest(ns, "after", "no-such-bucket", "x", 1));
        InferenceJob job = E2e.awaitFinal(ns, "after", Duration.ofSeconds(60));
        assertEquals(Phase.Failed, job.getStatus().phase());
    }

    static Lease lease() {
        return E2e.admin().leases().inNamespace(Cluster.RELEASE_NAMESPACE).withName(LEASE).get();
    }

    static Pod operatorPod() {
        List<Pod> pods = E2e.admin().pods().inNamespace(Cluster.RELEASE_NAMESPACE)
                .withLabel("app.kubernetes.io/component", "operator").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        assertEquals(1, pods.size(), () -> "operator pods: " + pods.size());
        return pods.get(0);
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
