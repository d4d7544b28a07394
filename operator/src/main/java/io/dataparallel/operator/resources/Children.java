package io.dataparallel.operator.resources;

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
    public static final String ROLE_WORKER = "worker";
    public static final String ROLE_SUMMARIZER = "summarizer";
    public static final String ROLE_PLAN = "plan";
    /** Job names become a label value on pods: at most 63 characters. */
    private static final int MAX_NAME = 63;

    private Children() {
    }

    public static String planConfigMap(InferenceJob job) {
        return name(job, "plan");
    }

    public static String workerJob(InferenceJob job) {
        return name(job, "workers");
    }

    public static String summarizerJob(InferenceJob job) {
        return name(job, "summary");
    }

    /** {@code <job>-<suffix>}, shortened with a hash when too long for a label value. */
    static String name(InferenceJob job, String suffix) {
        String base = job.getMetadata().getName();
        String full = base + "-" + suffix;
        if (full.length() <= MAX_NAME) {
            return full;
        }
        String hash = hash(base).substring(0, 8);
        return base.substring(0, MAX_NAME - suffix.length() - hash.length() - 2) + "-" + hash + "-" + suffix;
    }

    public static Map<String, String> labels(InferenceJob job, String role) {
        return Map.of(
                "app.kubernetes.io/name", "dataparallel",
                "app.kubernetes.io/managed-by", "dataparallel-operator",
                LABEL_JOB, job.getMetadata().getName(),
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
