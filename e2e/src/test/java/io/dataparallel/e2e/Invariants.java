package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.result.FailedPartition;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.api.status.Phase;
import io.dataparallel.core.npz.Npz;
import io.dataparallel.core.npz.NpyArray;
import io.dataparallel.core.s3.StoredObject;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The product's promises, checked the same way after every fault (issue 14): the job ends
 * Succeeded or Failed with a reason within a bound, never stuck; no second worker or summarizer
 * Job was ever created for it (the Jobs there now and every Job create the API server's audit log
 * saw); every planned partition has exactly one prediction, or is a failed partition with a reason,
 * and nothing else is under {@code predictions/}; the predictions equal a fault-free run's within
 * 1e-6 when one is given; no prediction a test saw earlier was overwritten with other bytes (ETags),
 * and conditional PUTs the store refused are counted from the worker logs; Events explain the end.
 * Each check appends one line to {@code target/invariants.tsv}, which reliability/run.sh collects.
 */
final class Invariants {
    static final double TOLERANCE = 1e-6;
    private static final Path LOG = Path.of(System.getProperty("e2e.invariants", "target/invariants.tsv"));
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|\\tat |Exception\\b");
    /** What the worker logs when its conditional prediction PUT was refused (the key existed). */
    static final String REFUSED_PUT = "was written meanwhile by another attempt";

    private final String namespace;
    private final String name;
    private String fault = "none";
    private Duration bound = Duration.ofMinutes(6);
    private String reference;
    private Map<String, String> kept = Map.of();
    private Phase expected;
    private AuditLog audit;

    private Invariants(String namespace, String name) {
        this.namespace = namespace;
        this.name = name;
    }

    /** The checks for the InferenceJob {@code namespace/name}. */
    static Invariants of(String namespace, String name) {
        return new Invariants(namespace, name);
    }

    /** What was injected, for the log line (e.g. "worker SIGKILL mid-partition"). */
    Invariants fault(String what) {
        this.fault = what;
        return this;
    }

    /** How long the job may take to end from now: past it the job counts as stuck. */
    Invariants within(Duration limit) {
        this.bound = limit;
        return this;
    }

    /** The output URI of a fault-free run of the same model and data: predictions must equal its within 1e-6. */
    Invariants sameAs(String outputUri) {
        this.reference = outputUri;
        return this;
    }

    /** Predictions (key to ETag, from {@link #predictions}) seen before the fault: none may change. */
    Invariants keeping(Map<String, String> etags) {
        this.kept = Map.copyOf(etags);
        return this;
    }

    /** The audit log to count Job creates in, read once by a test that checks many jobs; default: read at the check. */
    Invariants audit(AuditLog log) {
        this.audit = log;
        return this;
    }

    /** The phase the job must end in. */
    Invariants expect(Phase phase) {
        this.expected = phase;
        return this;
    }

    /** What the checks found, for a test's own further assertions and the results table. */
    record Outcome(InferenceJob job, double seconds, int planned, int predictions, int failedPartitions, int workerJobs,
                   int summarizerJobs, int jobCreates, int overwritten, int refusedPuts, double maxDifference) {
    }

    /** Awaits the end and checks every invariant; fails the test at the first that does not hold. */
    Outcome check() {
        Instant start = Instant.now();
        InferenceJob job = E2e.awaitFinal(namespace, name, bound);
        double seconds = secondsToEnd(job, start);
        String where = namespace + "/" + name + ": ";
        Phase phase = job.getStatus().phase();
        assertTrue(phase == Phase.Succeeded || phase == Phase.Failed, where + "ends Succeeded or Failed, not " + phase);
        if (expected != null) {
            assertEquals(expected, phase, () -> where + "status: " + job.getStatus());
        }
        String message = job.getStatus().message();
        if (phase == Phase.Failed) {
            assertTrue(message != null && !message.isBlank(), where + "a failed job says why: " + job.getStatus());
        }
        assertFalse(message != null && STACK_FRAME.matcher(message).find(), where + "no stack trace in status: " + message);

        Map<String, Integer> children = children(job);
        int workerJobs = children.getOrDefault(Children.ROLE_WORKER, 0);
        int summarizerJobs = children.getOrDefault(Children.ROLE_SUMMARIZER, 0);
        assertTrue(workerJobs <= 1, where + "one worker Job at most, not " + workerJobs);
        assertTrue(summarizerJobs <= 1, where + "one summarizer Job at most, not " + summarizerJobs);
        int creates = (audit == null ? AuditLog.read() : audit).jobCreates(namespace, Set.of(Children.workerJob(job), Children.summarizerJob(job)),
                // a job applied again under the same name has Jobs of the same names: count this one's only
                Instant.parse(job.getMetadata().getCreationTimestamp()), presentJobs(job));
        assertEquals(workerJobs + summarizerJobs, creates, where + "every Job the API server created for it is still there: "
                + "no duplicate created and lost");

        int planned = 0;
        int predictions = 0;
        int failed = job.getStatus().failedPartitions() == null ? 0 : job.getStatus().failedPartitions().size();
        double maxDifference = 0;
        int overwritten = 0;
        if (job.getStatus().workerJob() != null || phase == Phase.Succeeded) {
            List<String> partitions = plannedPartitions(job);
            planned = partitions.size();
            Map<String, String> written = predictions(outputUri(job));
            predictions = written.size();
            Set<String> failedNames = job.getStatus().failedPartitions() == null ? Set.of() : job.getStatus().failedPartitions()
                    .stream().map(FailedPartition::partition).collect(Collectors.toSet());
            for (FailedPartition f : job.getStatus().failedPartitions() == null ? List.<FailedPartition>of()
                    : job.getStatus().failedPartitions()) {
                assertTrue(f.reason() != null && !f.reason().isBlank(), where + "failed partition " + f.partition() + " has a reason");
            }
            for (String p : partitions) {
                boolean done = written.containsKey(p);
                assertTrue(done ^ failedNames.contains(p), where + p + (done ? " has a prediction and is listed failed"
                        : " has no prediction and is not listed failed"));
            }
            Set<String> extra = new HashSet<>(written.keySet());
            extra.removeAll(partitions);
            assertTrue(extra.isEmpty(), where + "predictions of partitions not in the plan: " + extra);
            if (phase == Phase.Succeeded) {
                assertEquals(planned, predictions + failed, where + "every planned partition has its prediction");
            }
            for (Map.Entry<String, String> e : kept.entrySet()) {
                if (!e.getValue().equals(written.get(e.getKey()))) {
                    overwritten++;
                }
            }
            assertEquals(0, overwritten, where + "predictions overwritten: before " + kept + ", after " + written);
            if (reference != null) {
                maxDifference = compare(outputUri(job), reference, written.keySet(), where);
            }
        }
        int refused = refusedPuts(namespace);
        assertEvents(job, where);
        Outcome outcome = new Outcome(job, seconds, planned, predictions, failed, workerJobs, summarizerJobs, creates, overwritten,
                refused, maxDifference);
        log(outcome);
        return outcome;
    }

    /** From the job's creation to its completionTime: how long it took to end, the faults included. */
    private static double secondsToEnd(InferenceJob job, Instant checkStarted) {
        Instant created = Instant.parse(job.getMetadata().getCreationTimestamp());
        String completed = job.getStatus().completionTime();
        Instant end;
        try {
            end = completed == null ? Instant.now() : Instant.parse(completed);
        } catch (java.time.format.DateTimeParseException e) {
            end = Instant.now();
        }
        return Duration.between(created.isBefore(checkStarted) ? created : checkStarted, end).toMillis() / 1e3;
    }

    /** Prediction keys (relative to {@code predictions/}) and their ETags under an output URI. */
    static Map<String, String> predictions(String outputUri) {
        String prefix = outputUri + "predictions/";
        S3Uri uri = S3Uri.parse("out", prefix);
        Map<String, String> etags = new TreeMap<>();
        for (StoredObject o : E2e.store().list(uri, "out")) {
            if (!inFlight(o)) {
                etags.put(o.key().substring(uri.key().length()), o.etag());
            }
        }
        return etags;
    }

    /**
     * S3Proxy's filesystem store writes an object to {@code <key>-<uuid>} and renames it when the
     * PUT completes, and a listing taken in between shows that file, with no ETag while it is
     * written and with the finished content's ETag once it is whole but not yet renamed. Real S3
     * never lists an upload that has not completed, so a snapshot taken mid-PUT leaves it out (it
     * was once counted as a prediction "overwritten" when it vanished). No key the tests write
     * ends in a UUID, so the name alone tells.
     */
    static boolean inFlight(StoredObject o) {
        return IN_FLIGHT.matcher(o.key()).matches();
    }

    private static final Pattern IN_FLIGHT = Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static String outputUri(InferenceJob job) {
        String out = job.getSpec().output().uri();
        return out.endsWith("/") ? out : out + "/";
    }

    /** The partitions as the planner defines them: .npz keys under data.uri, in lexical order, the first fileLimit. */
    static List<String> plannedPartitions(InferenceJob job) {
        String data = job.getSpec().data().uri();
        S3Uri uri = S3Uri.parse("data", data.endsWith("/") ? data : data + "/");
        Stream<String> keys = E2e.store().list(uri, "data").stream().map(o -> o.key().substring(uri.key().length()))
                .filter(k -> k.toLowerCase(Locale.ROOT).endsWith(".npz")).sorted();
        Integer limit = job.getSpec().data().fileLimit();
        return (limit == null ? keys : keys.limit(limit)).toList();
    }

    /** This job's worker and summarizer Jobs in its namespace, counted by role. */
    /** The names of this job's worker and summarizer Jobs there now. */
    private Set<String> presentJobs(InferenceJob job) {
        return E2e.admin().batch().v1().jobs().inNamespace(namespace).withLabel(Children.LABEL_JOB, Children.jobLabel(job))
                .list().getItems().stream().map(j -> j.getMetadata().getName()).collect(Collectors.toSet());
    }

    private Map<String, Integer> children(InferenceJob job) {
        Map<String, Integer> byRole = new LinkedHashMap<>();
        for (Job j : E2e.admin().batch().v1().jobs().inNamespace(namespace).withLabel(Children.LABEL_JOB, Children.jobLabel(job))
                .list().getItems()) {
            byRole.merge(j.getMetadata().getLabels().getOrDefault(Children.LABEL_ROLE, "?"), 1, Integer::sum);
        }
        return byRole;
    }

    /** The largest difference between this run's predictions and the reference's; fails past 1e-6. */
    private static double compare(String output, String reference, Set<String> keys, String where) {
        double max = 0;
        for (String k : keys) {
            byte[] mine = E2e.store().get(S3Uri.parse("out", output + "predictions/" + k), "out");
            byte[] theirs = E2e.store().getIfExists(S3Uri.parse("out", reference + "predictions/" + k), "out").orElse(null);
            assertNotNull(theirs, where + "the fault-free run has no prediction of " + k);
            if (Arrays.equals(mine, theirs)) {
                continue;
            }
            Map<String, NpyArray> a = Npz.read(mine);
            Map<String, NpyArray> b = Npz.read(theirs);
            assertEquals(b.keySet(), a.keySet(), where + k + ": the same outputs");
            for (String array : a.keySet()) {
                assertTrue(Arrays.equals(a.get(array).shape(), b.get(array).shape()), where + k + "/" + array + ": the same shape");
                double[] x = a.get(array).toDoubles();
                double[] y = b.get(array).toDoubles();
                for (int i = 0; i < x.length; i++) {
                    double d = Math.abs(x[i] - y[i]);
                    if (!(d <= TOLERANCE) && !(Double.isNaN(x[i]) && Double.isNaN(y[i]))) {
                        fail(where + k + "/" + array + "[" + i + "]: " + x[i] + " vs the fault-free run's " + y[i]);
                    }
                    max = Double.isNaN(d) ? max : Math.max(max, d);
                }
            }
        }
        return max;
    }

    /** Conditional prediction PUTs the store refused, from the logs of the namespace's pods (kept while their Jobs are). */
    static int refusedPuts(String namespace) {
        int n = 0;
        for (Path f : E2e.cluster().podLogs(namespace)) {
            try (Stream<String> lines = Files.lines(f)) {
                n += (int) lines.filter(l -> l.contains(REFUSED_PUT)).count();
            } catch (IOException | UncheckedIOException e) {
                // a pod folder removed while we read: its Job is gone, nothing to count
            }
        }
        return n;
    }

    /** A Succeeded job has its Succeeded Event; a Failed one a Warning Event saying what its status says. */
    private void assertEvents(InferenceJob job, String where) {
        Phase phase = job.getStatus().phase();
        String message = job.getStatus().message();
        // Events are sent off the reconcile thread: give them a moment
        Cluster.awaitQuietly(where + "an Event explaining the end (" + phase + ": " + message + ")", 30, () -> {
            List<Event> events = E2e.admin().v1().events().inNamespace(namespace).withField("involvedObject.name", name)
                    .list().getItems();
            for (Event e : events) {
                assertFalse(e.getMessage() != null && STACK_FRAME.matcher(e.getMessage()).find(),
                        where + "no stack trace in Events: " + e.getMessage());
            }
            if (phase == Phase.Succeeded) {
                return events.stream().anyMatch(e -> "Succeeded".equals(e.getReason()));
            }
            return events.stream().anyMatch(e -> "Warning".equals(e.getType()) && e.getMessage() != null
                    && (message.contains(e.getMessage()) || e.getMessage().contains(firstLine(message))));
        });
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    private void log(Outcome o) {
        try {
            Files.createDirectories(LOG.toAbsolutePath().getParent());
            String header = Files.exists(LOG) ? "" : "time\tfault\tjob\tphase\tseconds_to_end\tplanned\tpredictions\tfailed_partitions"
                    + "\tworker_jobs\tsummarizer_jobs\tjob_creates\toverwritten\trefused_puts\tmax_difference\n";
            Files.writeString(LOG, header + String.join("\t", Instant.now().toString(), fault, namespace + "/" + name,
                    o.job().getStatus().phase().name(), String.format(Locale.ROOT, "%.1f", o.seconds()),
                    Integer.toString(o.planned()), Integer.toString(o.predictions()), Integer.toString(o.failedPartitions()),
                    Integer.toString(o.workerJobs()), Integer.toString(o.summarizerJobs()), Integer.toString(o.jobCreates()),
                    Integer.toString(o.overwritten()), Integer.toString(o.refusedPuts()),
                    String.format(Locale.ROOT, "%.3g", o.maxDifference())) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
