package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.core.plan.PlanCodec;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan as the pod's ConfigMap volume holds it, and only this job's. An InferenceJob deleted and applied again
 * under the same name gets a plan ConfigMap of the same name; a kubelet serves ConfigMap volumes from a cache, and
 * a pod that starts within seconds of the new one may see the earlier job's plan (met on kubelet 1.37: a summarizer
 * summarized the earlier run's ranks as its own). With {@link WorkerLaunch#JOB_UID} set, a plan of another job is
 * read again until the kubelet updates the mount (its sync period is a minute), never used.
 */
public final class PlanMount {
    /** Past the kubelet's ConfigMap sync period (1 min) and its cache's TTL. */
    static final Duration WAIT = Duration.ofSeconds(150);
    private static final Logger LOG = LoggerFactory.getLogger(PlanMount.class);

    private PlanMount() {
    }

    /** This job's plan at {@code path}, waiting up to {@link #WAIT} for it (the job's uid is the pod's {@link WorkerLaunch#JOB_UID}). */
    public static Plan read(Path path, Map<String, String> env) {
        return read(path, env.get(WorkerLaunch.JOB_UID), WAIT);
    }

    /** This job's plan where the pod's {@link WorkerLaunch#PLAN} says (the launch contract's default path otherwise). */
    public static Plan read(Map<String, String> env) {
        return read(Path.of(env.getOrDefault(WorkerLaunch.PLAN, WorkerLaunch.DEFAULT_PLAN)), env);
    }

    static Plan read(Path path, String jobUid, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean said = false;
        while (true) {
            Plan plan = readOnce(path);
            String uid = plan.job() == null ? null : plan.job().uid();
            if (jobUid == null || jobUid.isBlank() || uid == null || jobUid.equals(uid)) {
                return plan;
            }
            if (!said) {
                LOG.info("the plan at {} is of an earlier job of this name (uid {}, this job's is {}): waiting for the kubelet"
                        + " to update the mount", path, uid, jobUid);
                said = true;
            }
            if (System.nanoTime() > deadline) {
                throw new BadInputException(WorkerLaunch.PLAN, "the plan at " + path + " is still another job's (uid " + uid
                        + ", this job's is " + jobUid + ") after " + wait.toSeconds() + " s: the pod's ConfigMap volume was not"
                        + " updated; delete the pod so that it starts again with this job's plan");
            }
            sleep();
        }
    }

    private static Plan readOnce(Path path) {
        try {
            return PlanCodec.read(path);
        } catch (UncheckedIOException e) {
            throw new BadInputException(WorkerLaunch.PLAN, "cannot read the plan at " + path + " (" + e.getMessage()
                    + "): mount the job's plan ConfigMap there or set " + WorkerLaunch.PLAN);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for this job's plan", e);
        }
    }
}
