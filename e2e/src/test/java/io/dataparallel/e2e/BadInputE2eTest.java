package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, bad input through {@code kubectl apply} on the real control plane: what the CRD's
 * schema can say is refused by the API server at apply, naming the field; the rest ends Failed
 * with a condition and an Event naming the field, with no stack trace or Java class name in
 * either, and no hang.
 */
class BadInputE2eTest {
    /** A manifest change and the field its refusal must name. */
    private record Case(String name, String field, String from, String to) {
    }

    @Test
    void badManifestsAndDataEndInAMessageNamingTheField() {
        String ns = E2e.namespace("badin");
        E2e.exampleData("e2e", ns, 2, 50);
        E2e.store().put(S3Uri.parse("m", "s3://e2e/" + ns + "/not-torchscript.pt"), "just bytes".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream", Map.of(), false, "m");
        String data = "uri: s3://e2e/" + ns + "/data/";
        String model = "uri: s3://e2e/" + ns + "/model.pt";
        List<Case> operator = List.of(
                new Case("no-model", "spec.model.uri", model, "uri: s3://e2e/" + ns + "/missing.pt"),
                new Case("no-data", "spec.data.uri", data, "uri: s3://e2e/" + ns + "/nothing-here/"),
                new Case("no-bucket", "spec.data.uri", data, "uri: s3://no-such-bucket/data/"),
                new Case("too-few", "spec.data.fileLimit", "labels: redshift", "labels: redshift\n    fileLimit: 5"),
                new Case("inside", "spec.output.uri", "uri: s3://e2e/" + ns + "/out/inside/", "uri: s3://e2e/" + ns + "/data/out/"),
                new Case("wrong-input", "spec.model.inputs", "inputs: [images, magnitudes]", "inputs: [pictures, magnitudes]"),
                new Case("not-a-model", "spec.model.uri", model, "uri: s3://e2e/" + ns + "/not-torchscript.pt"));
        List<Case> schema = List.of(
                new Case("words", "spec.workers", "workers: 1", "workers: four"),
                new Case("zero-batch", "spec.batchSize", "batchSize: 256", "batchSize: 0"),
                new Case("not-s3", "spec.output.uri", "uri: s3://e2e/" + ns + "/out/not-s3/", "uri: /tmp/out/"),
                new Case("later", "spec.timeout", "workers: 1", "workers: 1\n  timeout: soon"));
        for (Case c : schema) {
            Tools.Result r = E2e.kubectl(List.of("apply", "-f", E2e.write(manifest(ns, c))));
            assertNotEquals(0, r.exitCode(), c.name() + " was accepted");
            assertTrue(r.output().contains(c.field()), c.name() + ": " + r.output());
        }
        for (Case c : operator) {
            E2e.apply(manifest(ns, c));
        }
        List<String> wrong = new ArrayList<>();
        for (Case c : operator) {
            InferenceJob done = Invariants.of(ns, c.name()).fault("bad input: " + c.field()).expect(Phase.Failed)
                    .within(Duration.ofMinutes(4)).check().job();
            String status = done.getStatus().message() + " " + done.getStatus().failedPartitions() + " " + done.getStatus().conditions();
            String events = E2e.kubectlOk(List.of("get", "events", "-n", ns, "--field-selector", "involvedObject.name=" + c.name(),
                    "-o", "custom-columns=TYPE:.type,MESSAGE:.message"));
            if (!status.contains(c.field()) || !events.contains("Warning") || !events.contains(c.field())) {
                wrong.add(c.name() + " should name " + c.field() + ":\n  status: " + status + "\n  events: " + events);
            }
            for (String text : List.of(status, events)) {
                assertFalse(text.contains("Exception") || text.contains("\tat ") || text.contains("java."),
                        c.name() + ": no stack trace or class name: " + text);
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static String manifest(String ns, Case c) {
        String m = E2e.manifest(ns, c.name(), "e2e", ns, 1);
        assertTrue(m.contains(c.from()), c.name() + ": the manifest has no '" + c.from() + "'");
        return m.replace(c.from(), c.to());
    }
}
