package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.s3.StoredObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 6: two InferenceJobs naming one output prefix, applied in one kubectl apply:
 * exactly one claims it (the conditional PUT of {@code _job.json}), the other fails at planning
 * naming spec.output.uri and the owner, and runs no worker; nothing of the winner's is touched.
 */
class SharedOutputE2eTest {
    @Test
    void twoJobsOnOneOutputAtOnceExactlyOneClaimsItAndTheOtherTouchesNothing() {
        String ns = E2e.namespace("shared");
        E2e.exampleData("e2e", ns, 3, 100);
        String out = "s3://e2e/" + ns + "/out/shared/";
        String first = E2e.manifest(ns, "left", "e2e", ns, 2).replace("/out/left/", "/out/shared/");
        String second = E2e.manifest(ns, "right", "e2e", ns, 2).replace("/out/right/", "/out/shared/");
        E2e.apply(first + "---\n" + second);

        InferenceJob left = Invariants.of(ns, "left").fault("two jobs, one output prefix").within(Duration.ofMinutes(5)).check().job();
        InferenceJob right = Invariants.of(ns, "right").fault("two jobs, one output prefix").within(Duration.ofMinutes(5)).check().job();
        List<InferenceJob> won = List.of(left, right).stream().filter(j -> j.getStatus().phase() == Phase.Succeeded).toList();
        List<InferenceJob> lost = List.of(left, right).stream().filter(j -> j.getStatus().phase() == Phase.Failed).toList();
        assertEquals(1, won.size(), () -> "left: " + left.getStatus() + "\nright: " + right.getStatus());
        assertEquals(1, lost.size());
        String winner = ns + "/" + won.get(0).getMetadata().getName();
        String message = lost.get(0).getStatus().message();
        assertTrue(message.startsWith("spec.output.uri: " + out + " belongs to job " + winner), message);
        assertEquals(null, lost.get(0).getStatus().workerJob(), "the loser ran no worker");
        String events = E2e.kubectlOk(List.of("get", "events", "-n", ns, "--field-selector",
                "involvedObject.name=" + lost.get(0).getMetadata().getName()));
        assertTrue(events.contains("belongs to job " + winner), events);

        // every prediction was written once, by the winner: its job in the metadata, and a rerun of the loser changes nothing
        Map<String, String> etags = Invariants.predictions(out);
        assertEquals(3, etags.size(), etags::toString);
        for (StoredObject o : E2e.store().list(S3Uri.parse("out", out + "predictions/"), "out")) {
            String job = E2e.store().head(S3Uri.parse("out", "s3://e2e/" + o.key()), "out").orElseThrow().metadata().get("dataparallel-job");
            assertEquals(winner, job, o.key());
        }
        String loser = lost.get(0).getMetadata().getName();
        E2e.kubectlOk(List.of("delete", "inferencejob", loser, "-n", ns, "--wait=true"));
        E2e.apply(loser.equals("left") ? first : second);
        Invariants.of(ns, loser).fault("the loser applied again").expect(Phase.Failed).within(Duration.ofMinutes(2)).check();
        Invariants.of(ns, won.get(0).getMetadata().getName()).fault("the winner after the loser's rerun").keeping(etags)
                .expect(Phase.Succeeded).check();
    }
}
