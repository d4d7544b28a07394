package io.dataparallel.operator.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every valid InferenceJob name gives children whose names, pod hostnames and label values the API server accepts. */
class ChildrenTest {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final List<Function<InferenceJob, String>> CHILDREN = List.of(
            Children::workerJob, Children::summarizerJob, Children::planConfigMap);

    static List<String> names() {
        return List.of("a", "astro-redshift", "astro.v2", "a.b.c", "x".repeat(51), "x".repeat(52), "y".repeat(63),
                "z".repeat(64), "a-" + "b".repeat(60) + ".c", ("seg." + "q".repeat(58) + ".").repeat(3) + "end",
                "n".repeat(253), "long-name-that-ends-in-dash-position-" + "-".repeat(0) + "a".repeat(30) + "-b");
    }

    @ParameterizedTest
    @MethodSource("names")
    void childNamesArePodHostnamePrefixesForTenThousandWorkers(String name) {
        InferenceJob job = job(name);
        for (Function<InferenceJob, String> child : CHILDREN) {
            String n = child.apply(job);
            assertTrue(DNS_LABEL.matcher(n).matches(), () -> n + " is not a DNS label");
            String hostname = n + "-9999";
            assertTrue(hostname.length() <= 63, () -> hostname + " is longer than 63");
            assertEquals(n, child.apply(job(name)), "names are deterministic");
        }
        String label = Children.jobLabel(job);
        assertTrue(label.length() <= 63 && LABEL_VALUE.matcher(label).matches(), () -> label + " is not a label value");
    }

    @Test
    void shortNamesAreKeptAsTheyAre() {
        assertEquals("astro-redshift-workers", Children.workerJob(job("astro-redshift")));
        assertEquals("astro-redshift", Children.jobLabel(job("astro-redshift")));
    }

    @Test
    void namesThatDifferOnlyByDotsGetDifferentChildren() {
        assertNotEquals(Children.workerJob(job("astro.v2")), Children.workerJob(job("astro-v2")));
        assertNotEquals(Children.jobLabel(job("n".repeat(70))), Children.jobLabel(job("n".repeat(71))));
    }

    private static InferenceJob job(String name) {
        InferenceJob job = new InferenceJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("u").build());
        return job;
    }
}
