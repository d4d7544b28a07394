package io.dataparallel.operator.resources;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.InferenceJob;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Names, labels and owner references of what the operator creates for an InferenceJob.
 * Names are deterministic (the same job always gets the same children), which is what
 * makes every reconcile pass idempotent: creating an existing child is a no-op.
 */
public final class Children {
    public static final String LABEL_JOB = "dataparallel.io/job";
    public static final String LABEL_ROLE = "dataparallel.io/role";
    public static final String ROLE_WORKER = WorkerLaunch.WORKER; // the role, the container and the command share the name
    public static final String ROLE_SUMMARIZER = WorkerLaunch.SUMMARIZER;
    public static final String ROLE_PLAN = "plan";
    /** The one-pod Job that profiles the model before a job with spec.deadline or spec.budget is sized. */
    public static final String ROLE_PROFILING = "profiling";
    /**
     * A Job's pods are named, and get the hostname, {@code <job name>-<completion index>}, a DNS
     * label of at most 63 characters: with up to 10,000 workers (index 9999) a Job name may be
     * 58 characters long. Every child name is kept to that, and to a DNS label, whatever the
     * InferenceJob's name (a DNS subdomain of up to 253 characters, dots allowed).
     */
    static final int MAX_CHILD_NAME = 63 - 1 - 4;
    /** Label values: at most 63 characters. */
    private static final int MAX_LABEL_VALUE = 63;
    private static final int HASH_LENGTH = 8;

    private Children() {
    }

    public static String planConfigMap(InferenceJob job) {
        return name(job, "plan");
    }

    public static String workerJob(InferenceJob job) {
        return name(job, "workers");
    }

    public static String summarizerJob(InferenceJob job) {
        return name(job, ROLE_SUMMARIZER);
    }

    public static String profilingJob(InferenceJob job) {
        return name(job, "profile");
    }

    /** The one-partition plan the profiling pod reads. */
    public static String profilingPlan(InferenceJob job) {
        return name(job, "profile-plan");
    }

    /**
     * {@code <job>-<suffix>} when that is a DNS label short enough for pod hostnames; else the
     * name with dots turned to dashes, shortened, plus a hash of the full name, so two jobs never
     * share children ({@code a.b} and {@code a-b} differ by the hash) and a job always gets the same.
     */
    static String name(InferenceJob job, String suffix) {
        String base = job.getMetadata().getName();
        String full = base + "-" + suffix;
        if (full.length() <= MAX_CHILD_NAME && base.indexOf('.') < 0) {
            return full;
        }
        String tail = "-" + hash(base).substring(0, HASH_LENGTH) + "-" + suffix;
        return trimDashes(base.replace('.', '-'), MAX_CHILD_NAME - tail.length()) + tail;
    }

    /** The value of {@link #LABEL_JOB}: the job's name when it is a valid label value, else a shortened name and a hash. */
    public static String jobLabel(InferenceJob job) {
        String name = job.getMetadata().getName();
        if (name.length() <= MAX_LABEL_VALUE) {
            return name; // DNS subdomain characters are all valid in label values
        }
        String tail = "-" + hash(name).substring(0, HASH_LENGTH);
        return trimDashes(name, MAX_LABEL_VALUE - tail.length()) + tail;
    }

    /** The first {@code max} characters, ending on a letter or digit (names and label values must). */
    private static String trimDashes(String text, int max) {
        String cut = text.length() <= max ? text : text.substring(0, max);
        int end = cut.length();
        while (end > 0 && !Character.isLetterOrDigit(cut.charAt(end - 1))) {
            end--;
        }
        return cut.substring(0, end);
    }

    public static Map<String, String> labels(InferenceJob job, String role) {
        return Map.of(
                "app.kubernetes.io/name", "dataparallel",
                "app.kubernetes.io/managed-by", "dataparallel-operator",
                LABEL_JOB, jobLabel(job),
                LABEL_ROLE, role);
    }

    /** Children go when the InferenceJob is deleted; outputs in S3 stay. */
    public static OwnerReference owner(InferenceJob job) {
        return new OwnerReferenceBuilder()
                .withApiVersion(InferenceJob.API_VERSION)
                .withKind("InferenceJob")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
