package io.dataparallel.e2e;

import io.dataparallel.core.testing.S3FaultProxy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.Json;
import io.dataparallel.core.plan.PlanCodec;
import io.dataparallel.core.s3.StoredObject;
import io.dataparallel.core.testing.S3FaultProxy.Fault;
import io.dataparallel.core.testing.S3FaultProxy.Rule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, credentials: a wrong Secret, a Secret missing a key, credentials the store rejects
 * and credentials that can read the data but not write the output each fail at planning, naming
 * the field, before any worker runs; and no credential value (the real one or the rejected one) appears in status, Events, the plan
 * ConfigMap, the Jobs' and pods' specs, any pod's log (operator, workers, summarizer) or
 * anything written under the outputs, whether the job succeeded or a partition failed.
 */
class CredentialsE2eTest {
    private static final String WRONG_SECRET_KEY = "wrong-secret-key-0f3b9c";

    @Test
    void badCredentialsAreRefusedWhenPlanningAndNoCredentialValueIsWrittenAnywhere() {
        String ns = E2e.namespace("creds");
        E2e.exampleData("e2e", ns, 3, 100);
        E2e.store().put(S3Uri.parse("data", "s3://e2e/" + ns + "/data/partition-00003.npz"),
                "not an npz".getBytes(StandardCharsets.UTF_8), "application/octet-stream", Map.of(), false, "data");
        secret(ns, "wrong-values", Map.of(WorkerLaunch.ACCESS_KEY_ID, Cluster.ACCESS_KEY, WorkerLaunch.SECRET_ACCESS_KEY, WRONG_SECRET_KEY));
        secret(ns, "no-secret-key", Map.of(WorkerLaunch.ACCESS_KEY_ID, Cluster.ACCESS_KEY));

        // one job that runs (and fails one partition, so the failure paths log too), three refused at planning
        E2e.apply(E2e.manifest(ns, "runs", "e2e", ns, 2, "maxFailedWorkers: 1"));
        E2e.apply(E2e.manifest(ns, "rejected", "e2e", ns, 2).replace("credentialsSecret: " + Cluster.CREDENTIALS_SECRET,
                "credentialsSecret: wrong-values"));
        E2e.apply(E2e.manifest(ns, "missing-key", "e2e", ns, 2).replace("credentialsSecret: " + Cluster.CREDENTIALS_SECRET,
                "credentialsSecret: no-secret-key"));
        E2e.apply(E2e.manifest(ns, "no-secret", "e2e", ns, 2).replace("credentialsSecret: " + Cluster.CREDENTIALS_SECRET,
                "credentialsSecret: not-there"));

        InferenceJob ran = Invariants.of(ns, "runs").fault("none (a corrupt partition, to log failure paths)")
                .expect(Phase.Succeeded).within(Duration.ofMinutes(5)).check().job();
        assertEquals(1, ran.getStatus().failedPartitionCount());
        refused(ns, "rejected", "the store rejected the credentials");
        refused(ns, "missing-key", WorkerLaunch.SECRET_ACCESS_KEY);
        refused(ns, "no-secret", "'not-there' does not exist");

        List<String> leaks = new ArrayList<>();
        for (String kind : List.of("inferencejobs", "events", "configmaps", "jobs", "pods")) {
            check(leaks, "kubectl get " + kind, E2e.kubectlOk(List.of("get", kind, "-n", ns, "-o", "yaml")));
        }
        for (ConfigMap plan : E2e.admin().configMaps().inNamespace(ns).list().getItems()) {
            if (plan.getBinaryData() != null) {
                for (String data : plan.getBinaryData().values()) {
                    check(leaks, "plan " + plan.getMetadata().getName(),
                            new String(Json.write(PlanCodec.decode(Base64.getDecoder().decode(data))), StandardCharsets.UTF_8));
                }
            }
        }
        int logs = 0;
        for (String namespace : List.of(ns, Cluster.RELEASE_NAMESPACE)) {
            for (Path log : E2e.cluster().podLogs(namespace)) {
                try {
                    check(leaks, "log " + log.getParent().getFileName() + "/" + log.getFileName(),
                            Files.readString(log, StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                logs++;
            }
        }
        assertTrue(logs >= 4, "the operator's, two workers' and the summarizer's logs were read: " + logs);
        List<StoredObject> outputs = E2e.store().list(S3Uri.parse("out", "s3://e2e/" + ns + "/out/"), "out");
        assertTrue(outputs.size() > 5, "outputs were written: " + outputs.size());
        for (StoredObject o : outputs) {
            check(leaks, "s3://e2e/" + o.key(), new String(E2e.store().get(S3Uri.parse("out", "s3://e2e/" + o.key()), "out"),
                    StandardCharsets.ISO_8859_1));
        }
        assertEquals(List.of(), leaks, "credential values found");
    }

    /**
     * Credentials that may read the model and data but not write under the output prefix. S3Proxy has a single
     * identity, so the policy is modelled in front of it: {@link S3FaultProxy} answers every PUT, POST and DELETE
     * whose path is under {@code spec.output.uri} with 403 {@code AccessDenied} (S3's XML error body) and forwards
     * everything else, as a bucket policy denying s3:PutObject and s3:DeleteObject there would (a DeleteObjects
     * request, POST /bucket?delete, names its keys in its body and is not matched; a job refused at its claim never
     * sends one). The first write is
     * the output claim at planning (a conditional PUT of {@code _job.json}), so no worker Job is ever created.
     */
    @Test
    void credentialsThatCanReadTheDataButNotWriteTheOutputAreRefusedBeforeAnyWorkerRuns() throws IOException {
        String ns = E2e.namespace("readonly");
        E2e.exampleData("e2e", ns, 3, 100);
        String out = "/e2e/" + ns + "/out/readonly/";
        try (S3FaultProxy proxy = new S3FaultProxy(E2e.cluster().s3Endpoint(), E2e.cluster().podReachableAddress())) {
            List<Rule> policy = Stream.of("PUT", "POST", "DELETE").map(m -> proxy.add(m, out, Fault.ACCESS_DENIED, -1)).toList();
            E2e.apply(S3FaultsE2eTest.throughProxy(E2e.manifest(ns, "readonly", "e2e", ns, 2), proxy));
            InferenceJob job = Invariants.of(ns, "readonly").fault("read-only credentials: 403 AccessDenied on writes under the output")
                    .expect(Phase.Failed).within(Duration.ofMinutes(2)).check().job();
            String message = job.getStatus().message();
            assertTrue(message.startsWith("spec.output.uri: ") && message.contains("spec.s3.credentialsSecret cannot write")
                    && message.contains("s3:PutObject"), message);
            assertTrue(policy.get(0).injected().get() >= 1, "the claim's PUT met the policy");
            assertTrue(job.getStatus().conditions().stream().anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())
                    && message.equals(c.getMessage())), () -> "a Failed condition saying why: " + job.getStatus().conditions());
            List<String> warnings = E2e.warningEvents(ns);
            assertTrue(warnings.stream().anyMatch(e -> e.contains(message)), () -> "a Warning Event saying why: " + warnings);
            assertEquals(null, job.getStatus().workerJob(), "no worker ran");
            assertEquals(0, E2e.workerJobs(ns), "no worker Job was created");
            assertEquals(List.of(), E2e.store().list(S3Uri.parse("out", "s3://e2e" + out), "out"), "nothing written under the output");
            System.out.println("CredentialsE2eTest, read-only credentials: " + policy.get(0).injected().get() + " PUT(s) refused; "
                    + job.getStatus().message());
        }
    }

    private static void secret(String ns, String name, Map<String, String> data) {
        E2e.admin().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withStringData(data).build()).create();
    }

    /** Failed at planning with a message naming the Secret's field, and no worker Job. */
    private static void refused(String ns, String name, String expected) {
        InferenceJob job = Invariants.of(ns, name).fault("bad credentials: " + name).expect(Phase.Failed)
                .within(Duration.ofMinutes(2)).check().job();
        String message = job.getStatus().message();
        assertTrue(message.startsWith("spec.s3.credentialsSecret: ") && message.contains(expected), name + ": " + message);
        assertEquals(null, job.getStatus().workerJob(), name + " ran no worker");
    }

    private static void check(List<String> leaks, String where, String text) {
        for (String value : List.of(Cluster.SECRET_KEY, WRONG_SECRET_KEY, Cluster.ACCESS_KEY)) {
            if (text.contains(value)) {
                int at = text.indexOf(value);
                leaks.add(where + ": ..." + text.substring(Math.max(0, at - 80), Math.min(text.length(), at + 40)).replace('\n', ' '));
            }
        }
        assertFalse(text.isEmpty() && where.startsWith("kubectl"), where + " printed nothing");
    }
}
