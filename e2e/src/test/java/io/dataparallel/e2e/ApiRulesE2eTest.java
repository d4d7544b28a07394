package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.plan.PlanCodec;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rules of the real API server the operator's own checks stand on: the ConfigMap size limit the
 * plan check uses (issue 10 item 9), and what happens to an unknown spec field on each client path
 * (the schema is closed: kubectl's strict validation names the field; other clients' fields are
 * pruned, as the README says).
 */
class ApiRulesE2eTest {
    @Test
    void aConfigMapPastThePlanLimitIsRefusedByTheApiServer() {
        String ns = E2e.namespace("limits");
        byte[] over = new byte[PlanCodec.CONFIGMAP_LIMIT + 1];
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> E2e.admin().configMaps().inNamespace(ns)
                .resource(new ConfigMapBuilder().withNewMetadata().withName("over").endMetadata()
                        .withBinaryData(Map.of(WorkerLaunch.PLAN_FILE, Base64.getEncoder().encodeToString(over))).build()).create());
        assertEquals(422, e.getCode(), e.getMessage());
        byte[] at = new byte[PlanCodec.CONFIGMAP_LIMIT - 64];
        E2e.admin().configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("at").endMetadata()
                .withBinaryData(Map.of(WorkerLaunch.PLAN_FILE, Base64.getEncoder().encodeToString(at))).build()).create();
    }

    @Test
    void anUnknownSpecFieldIsNamedByKubectlAndPrunedForOtherClients() {
        String ns = E2e.namespace("unknown");
        String manifest = E2e.manifest(ns, "typo", "e2e", ns, 1, "worker: 4");
        Tools.Result strict = E2e.kubectl(List.of("apply", "-f", E2e.write(manifest)));
        assertNotEquals(0, strict.exitCode(), strict.output());
        assertTrue(strict.output().contains("unknown field \"spec.worker\""), strict.output());
        assertTrue(E2e.get(ns, "typo") == null, "kubectl created nothing");

        // a client without field validation (Fabric8 here, as GitOps tools may be): the server prunes the field
        GenericKubernetesResource generic = Serialization.unmarshal(manifest, GenericKubernetesResource.class);
        E2e.admin().resource(generic).inNamespace(ns).create();
        GenericKubernetesResource stored = E2e.admin().genericKubernetesResources(InferenceJob.API_VERSION, "InferenceJob")
                .inNamespace(ns).withName("typo").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
        assertFalse(spec.containsKey("worker"), "the API server pruned spec.worker: " + spec);
        assertEquals(1, spec.get("workers"));
    }

    /** Issue 10 item 7: more failures allowed than workers once workers are clamped to partitions; the Job is still accepted. */
    @Test
    void maxFailedWorkersBeyondTheClampedWorkersIsAccepted() {
        E2e.Ran ran = E2e.run("clamp", "clamp", 2, 20, 4, "maxFailedWorkers: 3");
        assertEquals(Phase.Succeeded, ran.phase(), () -> "status: " + ran.job().getStatus());
        var workers = E2e.admin().batch().v1().jobs().inNamespace(ran.namespace()).withName(ran.job().getStatus().workerJob()).get();
        assertEquals(2, workers.getSpec().getCompletions(), "one worker per partition");
        assertEquals(2, workers.getSpec().getMaxFailedIndexes(), "clamped to the completions the API server allows");
    }
}
