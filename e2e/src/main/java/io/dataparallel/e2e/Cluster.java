package io.dataparallel.e2e;

import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.core.s3.EmbeddedS3;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code e2e/cluster.sh up} starts and the e2e suite runs against: the upstream
 * control plane, two nodes kept Ready, the process kubelet, an S3 endpoint over a folder, and
 * the chart installed with real helm, its operator running as the chart's Deployment under the
 * chart's ServiceAccount and RBAC.
 */
public final class Cluster implements AutoCloseable {
    public static final String RELEASE = "dataparallel";
    public static final String RELEASE_NAMESPACE = "dataparallel-system";
    public static final String CREDENTIALS_SECRET = "s3-creds";
    public static final String ACCESS_KEY = "e2e-access";
    public static final String SECRET_KEY = "e2e-secret-key";
    /** An IRSA-style annotation the chart puts on the worker ServiceAccount, wherever it is made. */
    public static final String WORKER_ACCOUNT_ANNOTATION = "eks.amazonaws.com/role-arn";
    public static final String WORKER_ACCOUNT_ROLE = "arn:aws:iam::000000000000:role/dataparallel-e2e-worker";
    /**
     * Set to {@code true} (environment variable, or system property {@code e2e.keepPods}) to keep
     * the pods' folders when the cluster stops, for debugging; by default they go with the cluster.
     */
    public static final String KEEP_PODS_ENV = "E2E_KEEP_PODS";
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    /**
     * @param repo  the repository root (the chart, the built modules, e2e/build-k8s.sh)
     * @param state where the cluster keeps its certificates, etcd data, logs and pod folders
     * @param store the S3 endpoint's folder ({@code store/bucket/key})
     * @param pollSeconds the operator's polling interval (the chart's default is 10; tests poll every 2)
     * @param jobsOnRealNode every pod that asks for no pool (the operator's included) runs on the real node, as a container
     * @param processCpuNode register the process kubelet's CPU node; with {@code jobsOnRealNode} it is tainted and takes only
     *                       what a real node on this machine cannot do (a node that goes NotReady, a 32-CPU node), through {@link #PROCESS_POOL}
     */
    public record Options(Path repo, Path state, Path store, int pollSeconds, boolean jobsOnRealNode, boolean processCpuNode) {
        public Options(Path repo, Path state, Path store, int pollSeconds) {
            this(repo, state, store, pollSeconds, false, true);
        }

        public Options(Path repo, Path state, Path store) {
            this(repo, state, store, 2);
        }
    }

    private final Options options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private ControlPlane controlPlane;
    private KubernetesClient admin;
    private ProcessKubelet kubelet;
    private FakeNodes nodes;
    private EmbeddedS3 s3;
    private Tools tools;
    private int metricsPort;
    private RealNode realNode;
    /** The node pool of the chart's values whose nodeSelector and toleration pick the real node. */
    public static final String REAL_POOL = "real";
    /** With jobs on the real node: the process kubelet's CPU node takes only pods of {@link #PROCESS_POOL}. */
    static final String PROCESS_NODE_TAINT = "dataparallel.io/process-node";
    /** The node pool of the process kubelet's CPU nodes ({@code dataparallel.io/e2e-pool: cpu}), tolerating {@link #PROCESS_NODE_TAINT}. */
    public static final String PROCESS_POOL = "process";

    private Cluster(Options options) {
        this.options = options;
    }

    public static Cluster up(Options options) throws IOException, InterruptedException {
        Cluster c = new Cluster(options);
        try {
            c.start();
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Files.createDirectories(options.state());
        tools = Tools.ensure(options.repo());
        if (options.jobsOnRealNode()) {
            RealNode.ensureNetwork(); // the API server listens on the bridge, where the real node's pods reach it
        }
        controlPlane = new ControlPlane(tools.k8sBin(), options.state(),
                options.jobsOnRealNode() ? RealNode.NODE_IP : "127.0.0.1").start();
        started.add(controlPlane);
        admin = controlPlane.adminClient();
        started.add(admin);
        LOG.info("API server ready at {} ({} s)", controlPlane.server(), seconds(t0));
        nodes = new FakeNodes(admin).register(options.processCpuNode());
        started.add(nodes);
        Images images = new Images(options.repo(), Files.createDirectories(options.state().resolve("djl-cache")));
        images.warmUp(Files.createDirectories(options.state().resolve("logs")).resolve("worker-warmup.log"),
                options.state().resolve("class-data"));
        kubelet = new ProcessKubelet(admin, nodes.nodes(), images, Files.createDirectories(options.state().resolve("pods")),
                controlPlane.pki.caCert(), controlPlane.apiPort, keepPodFolders()).start();
        started.add(kubelet);
        s3 = EmbeddedS3.start(options.store(), ACCESS_KEY, SECRET_KEY);
        started.add(s3);
        await("the default ServiceAccount and kube-root-ca.crt", 60,
                () -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null
                        && admin.configMaps().inNamespace("default").withName("kube-root-ca.crt").get() != null);
        namespace(RELEASE_NAMESPACE);
        metricsPort = Ports.free();
        Path values = options.state().resolve("values.yaml");
        Files.writeString(values, """
                # the e2e cluster's values: only what a host without containers needs, and quick polling
                metrics: {port: %d}
                pollIntervalSeconds: %d
                worker:
                  defaultResources:
                    requests: {cpu: "1", memory: 1Gi}
                    limits: {memory: 4Gi}
                  serviceAccount:
                    annotations: {%s: "%s"}
                # a pool no node of the cluster matches: what a user sees when workers cannot be placed
                nodePools:
                  nowhere:
                    nodeSelector: {dataparallel.io/e2e-pool: none}
                    tolerations: []
                    gpu: false
                  # the real node (kubelet on containerd), when a test starts it
                  %s:
                    nodeSelector: {%s: real}
                    tolerations: [{key: %s, operator: Exists, effect: NoSchedule}]
                    gpu: false
                  # the process kubelet's CPU nodes (32 CPUs each), where they run beside a real node
                  %s:
                    nodeSelector: {dataparallel.io/e2e-pool: cpu}
                    tolerations: [{key: %s, operator: Exists, effect: NoSchedule}]
                    gpu: false
                    workerSizes: [{cpu: "1", memory: 3Gi}, {cpu: "2", memory: 4Gi}, {cpu: "4", memory: 8Gi}]
                """.formatted(metricsPort, options.pollSeconds(), WORKER_ACCOUNT_ANNOTATION, WORKER_ACCOUNT_ROLE, REAL_POOL,
                RealNode.POOL_LABEL, RealNode.POOL_LABEL, PROCESS_POOL, PROCESS_NODE_TAINT));
        List<String> helmValues = new ArrayList<>(List.of("--values", values.toString()));
        if (options.jobsOnRealNode()) {
            // the real node has this machine's 2 CPUs: a worker asks a quarter of one, so a job's workers run at once
            Path real = options.state().resolve("values-real-node.yaml");
            helmValues.addAll(List.of("--values", real.toString()));
            Files.writeString(real, """
                    worker:
                      defaultResources:
                        requests: {cpu: 250m, memory: 1Gi}
                        limits: {memory: 4Gi}
                    nodePools:
                      cpu-default:
                        workerSizes: [{cpu: 250m, memory: 1Gi}, {cpu: 500m, memory: 2Gi}, {cpu: "1", memory: 3Gi}]
                    """);
        }
        if (options.jobsOnRealNode()) {
            jobsToTheRealNode(); // before the chart: the operator's pod too runs on the real node
            LOG.info("pods go to the real node {} ({} s)", RealNode.NAME, seconds(t0));
        }
        List<String> helm = new ArrayList<>(List.of("upgrade", "--install", RELEASE, options.repo().resolve("charts/dataparallel").toString(),
                "--namespace", RELEASE_NAMESPACE, "--wait", "--timeout", "5m"));
        helm.addAll(helmValues);
        tools.helm(controlPlane.adminKubeconfig, helm.toArray(String[]::new));
        LOG.info("chart installed, operator ready ({} s)", seconds(t0));
    }

    /**
     * Where a real node can run: it takes every pod that asks for no pool, the operator's included (its taint goes); the
     * process kubelet's CPU node, where there is one, only pods of {@link #PROCESS_POOL} ({@link #PROCESS_NODE_TAINT}).
     * The GPU node stays as it is, a scheduling-only node for the GPU pool (this machine has no GPU).
     */
    private void jobsToTheRealNode() throws IOException, InterruptedException {
        realNode();
        editNode(RealNode.NAME, n -> n.getSpec().getTaints().removeIf(t -> RealNode.POOL_LABEL.equals(t.getKey())));
        if (nodes.nodes().containsKey(FakeNodes.CPU_NODE)) {
            taintProcessNode(FakeNodes.CPU_NODE);
        }
    }

    private void taintProcessNode(String name) {
        editNode(name, n -> n.getSpec().getTaints().add(new TaintBuilder().withKey(PROCESS_NODE_TAINT)
                .withValue("true").withEffect("NoSchedule").build()));
    }

    /**
     * Edits a node's spec, again on a conflict: a node just registered has its status written by its kubelet and the
     * node controller meanwhile, so an edit from the version read can meet 409 (met as a NodeNotReadyE2eTest error).
     */
    private void editNode(String name, Consumer<Node> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                admin.nodes().withName(name).edit(n -> {
                    change.accept(n);
                    return n;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** True where the pods that ask for no pool run on the real node, as containers. */
    public boolean jobsOnRealNode() {
        return options.jobsOnRealNode();
    }

    /** The node the pods that ask for no pool run on: the real node, or the process kubelet's CPU node. */
    public String jobNode() {
        return options.jobsOnRealNode() ? RealNode.NAME : FakeNodes.CPU_NODE;
    }

    private static boolean keepPodFolders() {
        return Boolean.parseBoolean(System.getenv(KEEP_PODS_ENV)) || Boolean.getBoolean("e2e.keepPods");
    }

    /** A namespace as the e2e suite wants it: Pod Security {@code restricted} enforced, the S3 Secret in it. */
    public void namespace(String name) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
                .endMetadata().build()).serverSideApply();
        admin.secrets().inNamespace(name).resource(new SecretBuilder().withNewMetadata().withName(CREDENTIALS_SECRET).endMetadata()
                .withStringData(Map.of(WorkerLaunch.ACCESS_KEY_ID, ACCESS_KEY, WorkerLaunch.SECRET_ACCESS_KEY, SECRET_KEY)).build())
                .serverSideApply();
    }

    /** The variables {@code cluster.sh up} writes to {@code e2e/.cluster/env}. */
    public String envFile(String namespace) {
        return String.join("\n",
                "export KUBECONFIG=" + controlPlane.adminKubeconfig,
                // pods in their own network reach the S3 endpoint at the bridge's address (and so does everything here)
                "export S3_ENDPOINT=" + (realNode != null ? realNode.s3Endpoint() : s3.endpoint().toString()),
                "export NAMESPACE=" + namespace,
                "export AWS_ACCESS_KEY_ID=" + ACCESS_KEY,
                "export AWS_SECRET_ACCESS_KEY=" + SECRET_KEY,
                "export PATH=" + tools.bin() + ":$PATH", "");
    }

    public KubernetesClient admin() {
        return admin;
    }

    /** The S3 endpoint on the loopback address, for the harness and the tests (not every pod reaches it: see {@link #podS3Endpoint}). */
    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** The S3 endpoint as every pod reaches it (and everything on this machine): a manifest's {@code spec.s3.endpoint}. */
    public String podS3Endpoint() {
        return realNode != null ? realNode.s3Endpoint() : s3.endpoint().toString();
    }

    /** The address a test's own server listens on for pods to reach it: the bridge's with a real node, else loopback. */
    public InetAddress podReachableAddress() throws IOException {
        return InetAddress.getByName(realNode != null ? RealNode.NODE_IP : "127.0.0.1");
    }

    /**
     * The log files of the pods of {@code namespace}, from both kinds of node: the process kubelet's
     * {@code pods/<namespace>_<pod>/…log} and the real kubelet's {@code <namespace>_<pod>_<uid>/<container>/<n>.log}.
     */
    public List<Path> podLogs(String namespace) {
        List<Path> logs = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(options.state().resolve("pods")));
        if (realNode != null) {
            roots.add(realNode.podLogs());
        }
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, 3)) {
                files.filter(f -> f.getFileName().toString().endsWith(".log") && Files.isRegularFile(f)
                        && root.relativize(f).getName(0).toString().startsWith(namespace + "_")).forEach(logs::add);
            } catch (IOException | UncheckedIOException e) {
                // a pod's folder removed while we walk: its Job is gone, its log with it
            }
        }
        return logs;
    }

    public Path kubeconfig() {
        return controlPlane.adminKubeconfig;
    }

    /**
     * The API server's audit log, whole. Past 100 MB the API server rotates it to
     * {@code audit-<time>.log} beside it (a run of 1,000 jobs wrote five such files), so when it has,
     * this is one file of the rotated ones, oldest first, then the current one. After a restart
     * ({@link #restartApiServer}) it leaves out the requests the new API server refused (403) between
     * its start and its readiness: it serves before its authorizer's caches are filled, and refuses
     * what RBAC grants until then (a load balancer checking {@code /readyz} keeps clients away in a
     * real control plane). Every other entry, refusals included, is kept.
     */
    public Path auditLog() throws IOException {
        List<Path> files = new ArrayList<>(rotatedAuditLogs());
        if (files.isEmpty() && controlPlane.notReady.isEmpty()) {
            return controlPlane.auditLog;
        }
        files.add(controlPlane.auditLog);
        Path whole = controlPlane.auditLog.resolveSibling("audit-whole.log");
        try (BufferedWriter out = Files.newBufferedWriter(whole)) {
            for (Path f : files) {
                try (BufferedReader in = Files.newBufferedReader(f)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (!refusedBeforeReady(line)) {
                            out.write(line);
                            out.newLine();
                        }
                    }
                }
            }
        }
        return whole;
    }

    /** The files the API server rotated its audit log to, oldest first (the time in the name sorts so). */
    private List<Path> rotatedAuditLogs() throws IOException {
        try (Stream<Path> siblings = Files.list(controlPlane.auditLog.toAbsolutePath().getParent())) {
            return siblings.filter(p -> ROTATED_AUDIT_LOG.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    private static final Pattern ROTATED_AUDIT_LOG =
            Pattern.compile("audit-\\d{4}-\\d{2}-\\d{2}T[0-9.-]+\\.log");

    private boolean refusedBeforeReady(String line) {
        if (controlPlane.notReady.isEmpty() || !line.contains("403")) {
            return false;
        }
        try {
            JsonNode e = Serialization.jsonMapper().readTree(line);
            if (e.path("responseStatus").path("code").asInt() != 403) {
                return false;
            }
            Instant at = Instant.parse(e.path("requestReceivedTimestamp").asText());
            return controlPlane.notReady.stream().anyMatch(w -> !at.isBefore(w[0]) && !at.isAfter(w[1]));
        } catch (IOException | RuntimeException notAnEntry) {
            return false;
        }
    }

    public Tools tools() {
        return tools;
    }

    /**
     * The real node (kubelet on containerd, the shipped images), started on first use and stopped with the cluster;
     * {@link RealNode#unavailable} says where it cannot run. Jobs reach it through the pool {@link #REAL_POOL}.
     */
    public synchronized RealNodeHandle realNode() throws IOException, InterruptedException {
        if (realNode == null) {
            long t0 = System.nanoTime();
            realNode = RealNode.start(options.repo(), options.state(), controlPlane, admin, s3.endpoint().getPort(), tools.k8sBin());
            started.add(realNode);
            LOG.info("real node up ({} s)", seconds(t0));
        }
        return new RealNodeHandle(RealNode.NAME, realNode.s3Endpoint());
    }

    /** What a test needs of the real node: its name, and the S3 endpoint as its pods reach it. */
    public record RealNodeHandle(String name, String s3Endpoint) {
    }

    /** Null when {@link #realNode} can start here; else why not. */
    public static String realNodeUnavailable() {
        return RealNode.unavailable();
    }

    public int metricsPort() {
        return metricsPort;
    }

    public Path state() {
        return options.state();
    }

    /** The process id of the operator pod's container (for heap measurements), or -1 when none runs. */
    public long operatorPid() {
        for (var pod : admin.pods().inNamespace(RELEASE_NAMESPACE).list().getItems()) {
            if (pod.getMetadata().getName().startsWith(RELEASE + "-operator-") && pod.getMetadata().getDeletionTimestamp() == null
                    && RealNode.NAME.equals(pod.getSpec().getNodeName())) {
                long pid = realNodePid(pod);
                if (pid > 0) {
                    return pid;
                }
            }
        }
        return kubelet.pid(RELEASE_NAMESPACE, RELEASE + "-operator-");
    }

    /** SIGKILLs the container of a running pod, on whichever node it runs; false if none runs. */
    public boolean killPod(String namespace, String pod) {
        var p = admin.pods().inNamespace(namespace).withName(pod).get();
        if (p != null && realNode != null && RealNode.NAME.equals(p.getSpec().getNodeName())) {
            String id = runningContainer(p);
            return id != null && realNode.kill(id);
        }
        return kubelet.kill(namespace, pod);
    }

    private long realNodePid(Pod pod) {
        String id = runningContainer(pod);
        return id == null ? -1 : realNode.pid(id);
    }

    private static String runningContainer(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getState() != null && c.getState().getRunning() != null && c.getContainerID() != null)
                .map(ContainerStatus::getContainerID).findFirst().orElse(null);
    }

    /** The memory cgroup of a pod's running container on the real node (see {@link RealNode#memoryCgroup}), or null. */
    public Path memoryCgroup(Pod pod) {
        String id = RealNode.NAME.equals(pod.getSpec().getNodeName()) ? runningContainer(pod) : null;
        return id == null ? null : RealNode.memoryCgroup(pod.getMetadata().getUid(), id);
    }

    /** Restarts the real node's kubelet, down for {@code downMillis}; its containers run on meanwhile. */
    public void restartRealKubelet(long downMillis) throws IOException, InterruptedException {
        realNode();
        realNode.restartKubelet(downMillis);
        LOG.info("real node's kubelet restarted after {} ms down", downMillis);
    }

    /**
     * Restarts kube-apiserver (etcd kept, same port and certificates), down for at least
     * {@code downMillis}; returns once it serves again. Every client of the cluster (the operator,
     * the controllers, the process kubelet) sees the outage and has to recover by itself.
     */
    public void restartApiServer(long downMillis) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        controlPlane.restartApiServer(downMillis);
        LOG.info("kube-apiserver restarted: {} ms without an API server", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** A further node of the CPU pool ({@code dataparallel.io/e2e-pool: cpu}), Ready, run by the process kubelet ({@link #PROCESS_POOL}). */
    public void addCpuNode(String name) {
        nodes.addCpuNode(name);
        if (options.jobsOnRealNode()) {
            taintProcessNode(name); // like the first: only pods of PROCESS_POOL
        }
    }

    /**
     * The node's machine goes away: its heartbeats stop (Lease and Ready) and its pods' processes
     * die, nothing more is written for them. The node lifecycle controller notices after
     * {@code --node-monitor-grace-period} ({@value ControlPlane#NODE_GRACE_SECONDS} s here), taints the node
     * unreachable, and the taint eviction deletes its pods {@value ControlPlane#NODE_TOLERATION_SECONDS} s later;
     * with no kubelet to confirm, they stay Terminating until the node is declared out of service or removed.
     */
    public void loseNode(String name) {
        nodes.lose(name);
        kubelet.loseNode(name);
    }

    /** Removes a node object (a lost node, after its test) so later tests do not see it. */
    public void removeNode(String name) {
        nodes.remove(name);
    }

    public void checkAlive() throws IOException {
        controlPlane.checkAlive();
    }

    /** A condition polled until it holds. */
    public interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code check} every 250 ms for up to {@code seconds}; an AssertionError naming {@code what} if it never holds. */
    public static void awaitQuietly(String what, int seconds, Check check) {
        try {
            await(what, seconds, check);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what);
        }
    }

    static void await(String what, int seconds, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception notYet) {
                // retried until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static long seconds(long t0) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }

    /**
     * {@code cluster.sh up}: starts the cluster, writes {@code STATE/env}, then {@code STATE/ready},
     * and keeps running until it is stopped ({@code cluster.sh down} sends SIGTERM).
     * Arguments: {@code REPO STATE STORE NAMESPACE}.
     */
    public static void main(String[] args) throws Exception {
        // jobs on a real node (kubelet on containerd) wherever one can run; else on the process kubelet, as in the suite
        String noRealNode = RealNode.unavailable();
        if (noRealNode != null) {
            LOG.info("no real node: {}; jobs run on the process kubelet", noRealNode);
        }
        // with a real node, no process kubelet's CPU node: every pod is a container (the GPU pool's node is scheduling-only)
        Options o = new Options(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(), Path.of(args[2]).toAbsolutePath(),
                2, noRealNode == null, noRealNode != null);
        String namespace = args[3];
        Cluster cluster = up(o);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "cluster-down"));
        cluster.namespace(namespace);
        Files.writeString(o.state().resolve("env"), cluster.envFile(namespace));
        Files.writeString(o.state().resolve("ready"), "");
        while (true) {
            Thread.sleep(5000);
            cluster.checkAlive();
        }
    }
}
