package io.dataparallel.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.status.Phase;
import io.dataparallel.operator.resources.Children;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many small InferenceJobs in one namespace, for the operator under load: created at once from a
 * few client threads (as bench section 6 does), counted as they get their worker Jobs and end,
 * then every one checked by {@link Invariants} against one read of the audit log.
 */
final class ManyJobs {
    /**
     * Workers that request 8 CPUs: the scheduler places at most 4 at once on the harness's 32-CPU node. With 16 at once
     * (2 CPUs each) the 2 real cores were so starved (load 50) that the restarted operator could not answer its
     * liveness probe within the chart's 15 s delay and 3 failures, and was killed again and again (no cgroups here).
     */
    static final String SMALL_WORKER = "resources: {requests: {cpu: \"8\", memory: 256Mi}}";
    /**
     * The 32-CPU node of the process kubelet: hundreds of jobs' workers at once are more than the real node's 2 cores
     * hold (the operator they load runs where it always does, on the real node where there is one).
     */
    static final String ON_PROCESS_NODE = "nodePool: " + Cluster.PROCESS_POOL;

    final String namespace;
    final List<String> names;

    private ManyJobs(String namespace, List<String> names) {
        this.namespace = namespace;
        this.names = names;
    }

    /** {@code count} jobs named {@code job-00000}…; {@code prefix.apply(i)} is the data prefix (under bucket e2e) of job i. */
    static ManyJobs create(String namespace, int count, IntFunction<String> prefix) throws Exception {
        List<String> names = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = String.format(Locale.ROOT, "job-%05d", i);
                names.add(name);
                String yaml = E2e.manifest(namespace, name, "e2e", prefix.apply(i), 1, SMALL_WORKER, ON_PROCESS_NODE);
                InferenceJob job = Serialization.unmarshal(yaml, InferenceJob.class);
                done.add(clients.submit(() -> E2e.admin().resource(job).create()));
            }
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            clients.shutdownNow();
        }
        return new ManyJobs(namespace, names);
    }

    int workerJobs() {
        return E2e.admin().batch().v1().jobs().inNamespace(namespace).withLabel(Children.LABEL_ROLE, Children.ROLE_WORKER)
                .list().getItems().size();
    }

    int finished() {
        return (int) E2e.admin().resources(InferenceJob.class).inNamespace(namespace).list().getItems().stream()
                .filter(j -> E2e.phase(j) != null && E2e.phase(j).isFinal()).count();
    }

    /** Waits until every job ended, calling {@code meanwhile} every few seconds with the number finished. */
    void awaitAll(Duration timeout, java.util.function.IntConsumer meanwhile) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int done = 0;
        while (System.nanoTime() < deadline) {
            done = finished();
            meanwhile.accept(done);
            if (done == names.size()) {
                return;
            }
            E2e.sleep(5_000);
        }
        throw new AssertionError(done + " of " + names.size() + " jobs ended within " + timeout.toMinutes() + " min");
    }

    /** Every job Succeeded, with the invariants; returns the summed outcome. */
    Totals checkAll(String fault) {
        AuditLog audit = AuditLog.read();
        Totals t = new Totals();
        for (String name : names) {
            Invariants.Outcome o = Invariants.of(namespace, name).fault(fault).audit(audit).expect(Phase.Succeeded)
                    .within(Duration.ofSeconds(30)).check();
            t.jobs++;
            t.predictions += o.predictions();
            t.workerJobs += o.workerJobs();
            t.summarizerJobs += o.summarizerJobs();
            t.refusedPuts += o.refusedPuts();
        }
        assertEquals(names.size(), t.workerJobs, "one worker Job per job");
        assertEquals(names.size(), t.summarizerJobs, "one summarizer Job per job");
        assertTrue(t.predictions >= names.size());
        return t;
    }

    static final class Totals {
        int jobs;
        int predictions;
        int workerJobs;
        int summarizerJobs;
        int refusedPuts;

        @Override
        public String toString() {
            return jobs + " jobs Succeeded, " + predictions + " predictions, " + workerJobs + " worker and " + summarizerJobs
                    + " summarizer Jobs (none duplicated), " + refusedPuts + " refused conditional PUTs";
        }
    }

    /** SIGKILLs the chart's operator (its Deployment's pod restarts it); fails if none runs. */
    static void killOperator() {
        assertTrue(E2e.cluster().killPod(Cluster.RELEASE_NAMESPACE, LeaderElectionE2eTest.operatorPod().getMetadata().getName()),
                "the operator runs");
    }

    /**
     * The heap the chart lets the operator have: its container's memory limit times the
     * MaxRAMPercentage of its JAVA_TOOL_OPTIONS (the harness enforces no cgroup limit, so the
     * test holds the JVM to what a cluster would).
     */
    static double operatorHeapLimitMb() {
        var container = E2e.admin().apps().deployments().inNamespace(Cluster.RELEASE_NAMESPACE).withName(Cluster.RELEASE + "-operator")
                .get().getSpec().getTemplate().getSpec().getContainers().get(0);
        double limitMb = container.getResources().getLimits().get("memory").getNumericalAmount().doubleValue() / (1 << 20);
        String options = container.getEnv().stream().filter(e -> "JAVA_TOOL_OPTIONS".equals(e.getName())).findFirst()
                .orElseThrow().getValue();
        Matcher m = Pattern.compile("MaxRAMPercentage=([0-9.]+)").matcher(options);
        return m.find() ? limitMb * Double.parseDouble(m.group(1)) / 100 : limitMb / 4; // the JVM's default: a quarter
    }

    /**
     * Used heap of the operator's JVM after a full GC (jcmd, as bench section 6 measures it), in MiB;
     * NaN while no operator process runs (between a kill and its restart).
     */
    static double operatorHeapMb() {
        return JvmHeap.usedAfterGcMb(E2e.cluster().operatorPid());
    }
}
