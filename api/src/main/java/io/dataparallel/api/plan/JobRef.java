package io.dataparallel.api.plan;

/**
 * Who a job is. A job is its namespace and name (local mode: {@code default} and
 * {@code metadata.name}); the uid tells apart a deleted and recreated resource in logs
 * but does not change ownership, so recreating a job resumes it.
 *
 * @param namespace Kubernetes namespace ({@code default} in local mode)
 * @param name      metadata.name
 * @param uid       metadata.uid, or empty in local mode
 */
public record JobRef(String namespace, String name, String uid) {
    /** {@code namespace/name}: the identity written into outputs. */
    public String id() {
        return namespace + "/" + name;
    }

    /** True when {@code other} is the same job (namespace and name). */
    public boolean sameJob(JobRef other) {
        return other != null && id().equals(other.id());
    }
}
