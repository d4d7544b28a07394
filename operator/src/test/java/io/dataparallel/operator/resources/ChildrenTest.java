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
    /** A shortened name: what is kept of the job's name, 8 hex digits of its hash, the suffix. */
    private static final Pattern HASHED = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?-[0-9a-f]{8}-(workers|summary|plan)");
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
            assertTrue(n.length() <= 58, () -> n + " is longer than 58");
            String hostname = n + "-9999";
            assertTrue(hostname.length() <= 63 && DNS_LABEL.matcher(hostname).matches(), () -> hostname + " is not a hostname");
            assertEquals(n, child.apply(job(name)), "names are deterministic");
        }
        for (String role : List.of(Children.ROLE_WORKER, Children.ROLE_SUMMARIZER, Children.ROLE_PLAN)) {
            Children.labels(job, role).forEach((key, value) -> assertTrue(value.length() <= 63
                    && LABEL_VALUE.matcher(value).matches(), () -> key + "=" + value + " is not a label value"));
        }
        assertEquals(Children.jobLabel(job), Children.jobLabel(job(name)), "label values are deterministic");
    }

    /** A name is kept while {@code <name>-<suffix>} fits in 58 characters; one character more and it is hashed, to 58. */
    @Test
    void theLongestNameKeptAsItIsAndTheShortestHashed() {
        assertEquals("x".repeat(50) + "-workers", Children.workerJob(job("x".repeat(50))));
        assertEquals("x".repeat(53) + "-plan", Children.planConfigMap(job("x".repeat(53))));
        String hashed = Children.workerJob(job("x".repeat(51)));
        assertEquals(58, hashed.length(), hashed);
        assertTrue(HASHED.matcher(hashed).matches(), hashed);
        assertTrue(hashed.endsWith("-workers") && hashed.startsWith("x".repeat(40)), hashed);
        String plan = Children.planConfigMap(job("x".repeat(54)));
        assertEquals(58, plan.length(), plan);
        assertTrue(plan.endsWith("-plan"), plan);
        assertEquals("y".repeat(63), Children.jobLabel(job("y".repeat(63))));
        assertEquals(63, Children.jobLabel(job("y".repeat(64))).length());
    }

    @Test
    void namesWithDotsAreHashedWithDashesForDots() {
        String n = Children.workerJob(job("astro.v2"));
        assertTrue(n.startsWith("astro-v2-") && n.endsWith("-workers") && HASHED.matcher(n).matches(), n);
        assertEquals("astro.v2", Children.jobLabel(job("astro.v2")), "dots are valid in label values");
    }

    @Test
    void longNamesThatShareTheirKeptPrefixGetDifferentChildren() {
        String prefix = "p".repeat(70);
        for (Function<InferenceJob, String> child : CHILDREN) {
            assertNotEquals(child.apply(job(prefix + "a")), child.apply(job(prefix + "b")));
        }
        assertNotEquals(Children.jobLabel(job(prefix + "a")), Children.jobLabel(job(prefix + "b")));
    }

    @Test
    void theChildrenOfOneJobDiffer() {
        for (String name : names()) {
            InferenceJob job = job(name);
            assertEquals(3, CHILDREN.stream().map(c -> c.apply(job)).distinct().count(), name);
        }
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
