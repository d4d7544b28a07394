package io.dataparallel.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node as a cluster has it: upstream kubelet (built with the control plane) on containerd 2.x
 * (e2e/build-node.sh) and runc, the images the project ships (images/build.sh) imported into it,
 * pods on a bridge network of this machine. Beside the process kubelet's nodes, tainted and
 * labelled so that only what asks for it runs here ({@link #POOL_LABEL}).
 *
 * <p>The pod network is the bridge {@link #BRIDGE} with {@link #NODE_IP} on it, from which nothing is
 * routed off the machine (a FORWARD rule drops what leaves the subnet; no NAT). Pods reach the S3
 * endpoint through {@link #s3Endpoint}, a forwarder on the bridge's address. The limits of this VM the
 * runtime is set up for: cgroup v1 (kubelet {@code failCgroupV1: false}, cgroupfs), and no
 * CAP_SYS_RESOURCE, so containerd may not lower an oom_score_adj ({@code restrict_oom_score_adj}).
 */
final class RealNode implements AutoCloseable {
    static final String NAME = "e2e-real-0";
    /** Label and taint key: a pool's nodeSelector {@code {dataparallel.io/e2e-node: real}} and toleration pick this node. */
    static final String POOL_LABEL = "dataparallel.io/e2e-node";
    static final String BRIDGE = "dp-e2e0";
    static final String NODE_IP = "10.88.0.1";
    static final String SUBNET = "10.88.0.0/16";
    /** The sandbox image e2e/build-node.sh makes (no registry to pull registry.k8s.io/pause from). */
    static final String PAUSE = "localhost/dataparallel/pause:e2e";
    /** CoreDNS's image (e2e/build-node.sh) and the kube-dns Service's address, the pods' nameserver. */
    static final String COREDNS = "localhost/dataparallel/coredns:e2e";
    static final String CLUSTER_DNS = "10.96.0.10";
    private static final Logger LOG = LoggerFactory.getLogger(RealNode.class);

    private final Path dir;
    private final List<Daemon> daemons = new ArrayList<>();
    private final KubernetesClient admin;
    private final Path containerdBin;
    private TcpForwarder s3;
    /** Set once kube-proxy started: its iptables rules are removed with the node ({@code kube-proxy --cleanup}). */
    private Path kubeProxy;
    /** The kubelet's command line, for {@link #restartKubelet}. */
    private List<String> kubelet;

    private RealNode(Path dir, KubernetesClient admin, Path containerdBin) {
        this.dir = dir;
        this.admin = admin;
        this.containerdBin = containerdBin;
    }

    /** Null when a real node can run here; else why not (the tests that need one are skipped with it). */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "a real node needs root (network namespaces, cgroups, mounts)";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get")) && !Files.isExecutable(Path.of("/usr/bin/podman"))) {
            return "no podman, and no apt-get to install it";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
            return "no ip command to make the pod network's bridge";
        }
        return null;
    }

    /** Builds what is missing, starts containerd and the kubelet against {@code plane}, and waits for the node to be Ready. */
    static RealNode start(Path repo, Path state, ControlPlane plane, KubernetesClient admin, int s3Port, Path k8sBin)
            throws IOException, InterruptedException {
        Path bin = Path.of(lastLine(run(List.of("bash", repo.resolve("e2e/build-node.sh").toString()), 1800)));
        String images = run(List.of("bash", repo.resolve("images/build.sh").toString(), "all"), 1800);
        RealNode node = new RealNode(Files.createDirectories(state.resolve("real-node")), admin, bin);
        try {
            ensureNetwork();
            node.cniConfig();
            node.s3 = TcpForwarder.start(NODE_IP, s3Port, "127.0.0.1", s3Port);
            node.startContainerd();
            node.importImage(bin.resolve("pause.oci.tar"), PAUSE, null);
            node.importImage(bin.resolve("coredns.oci.tar"), COREDNS, null);
            for (String name : List.of("worker", "operator")) {
                String[] built = images.lines().filter(l -> l.startsWith(name + " ")).reduce((a, b) -> b)
                        .orElseThrow(() -> new IOException("images/build.sh printed no " + name + " image:\n" + images)).split(" ");
                node.importImage(Path.of(built[2]), built[1], "ghcr.io/dataparallel/" + name + ":" + appVersion(repo));
            }
            // Services (and so the cluster's DNS) work where pods reach the API server: kube-proxy then runs
            boolean services = !plane.address.startsWith("127.");
            node.startKubelet(plane, k8sBin, services);
            if (services) {
                node.startKubeProxy(plane, k8sBin);
            }
            node.awaitReady();
            if (services) {
                node.startDns(repo);
            }
            return node;
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** The S3 endpoint as pods on this node (and everything on this machine) reach it. */
    String s3Endpoint() {
        return "http://" + NODE_IP + ":" + s3.port();
    }

    private Path socket() {
        return dir.resolve("containerd.sock");
    }

    /** The pod network's bridge with the node's address on it, and the rule that keeps its traffic on this machine. */
    static void ensureNetwork() throws IOException, InterruptedException {
        if (exit(List.of("ip", "link", "show", BRIDGE)) != 0) {
            run(List.of("ip", "link", "add", BRIDGE, "type", "bridge"), 30);
            run(List.of("ip", "addr", "add", NODE_IP + "/16", "dev", BRIDGE), 30);
        }
        run(List.of("ip", "link", "set", BRIDGE, "up"), 30);
        List<String> drop = List.of("FORWARD", "-s", SUBNET, "!", "-d", SUBNET, "-j", "DROP");
        List<String> check = new ArrayList<>(List.of("iptables", "-C"));
        check.addAll(drop);
        if (exit(check) != 0) {
            List<String> insert = new ArrayList<>(List.of("iptables", "-I"));
            insert.addAll(drop);
            run(insert, 30);
        }
    }

    private void cniConfig() throws IOException {
        Path cni = Files.createDirectories(dir.resolve("cni"));
        Files.writeString(cni.resolve("10-e2e.conflist"), """
                {"cniVersion": "1.0.0", "name": "e2e", "plugins": [
                  {"type": "bridge", "bridge": "%s", "isGateway": true, "isDefaultGateway": true, "ipMasq": false,
                   "ipam": {"type": "host-local", "dataDir": "%s",
                            "ranges": [[{"subnet": "%s", "rangeStart": "10.88.1.1", "rangeEnd": "10.88.255.254", "gateway": "%s"}]]}},
                  {"type": "loopback"}]}
                """.formatted(BRIDGE, dir.resolve("ipam"), SUBNET, NODE_IP));
    }

    private void startContainerd() throws IOException, InterruptedException {
        Path config = dir.resolve("containerd.toml");
        Files.writeString(config, """
                version = 3
                root = "%1$s/containerd/root"
                state = "%1$s/containerd/state"
                [grpc]
                  address = "%2$s"
                [plugins.'io.containerd.cri.v1.runtime']
                  enable_selinux = false
                  # no CAP_SYS_RESOURCE on this VM: a sandbox's oom_score_adj may not go below containerd's own
                  restrict_oom_score_adj = true
                  [plugins.'io.containerd.cri.v1.runtime'.containerd]
                    default_runtime_name = "runc"
                    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                        SystemdCgroup = false
                  [plugins.'io.containerd.cri.v1.runtime'.cni]
                    bin_dirs = ["/usr/lib/cni"]
                    conf_dir = "%1$s/cni"
                [plugins.'io.containerd.cri.v1.images']
                  snapshotter = "overlayfs"
                  [plugins.'io.containerd.cri.v1.images'.pinned_images]
                    sandbox = "%3$s"
                """.formatted(dir, socket(), PAUSE));
        daemons.add(Daemon.start("containerd", List.of(containerdBin.resolve("containerd").toString(), "--config", config.toString()),
                dir));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket())) {
            if (!daemons.get(0).alive() || System.nanoTime() > deadline) {
                throw new IOException("containerd did not start; its log ends:\n" + daemons.get(0).tail());
            }
            Thread.sleep(100);
        }
    }

    /** Imports the OCI archive of {@code ref} into the kubelet's namespace; {@code as} adds the name the chart's pods ask for. */
    private void importImage(Path archive, String ref, String as) throws IOException, InterruptedException {
        run(ctr("images", "import", archive.toString()), 300);
        run(ctr("images", "ls", "name==" + ref), 60).lines().skip(1).findFirst()
                .orElseThrow(() -> new IOException("ctr images import " + archive + " did not give " + ref));
        if (as != null) {
            run(ctr("images", "tag", "--force", ref, as), 60);
        }
    }

    private List<String> ctr(String... args) {
        List<String> cmd = new ArrayList<>(List.of(containerdBin.resolve("ctr").toString(), "--address", socket().toString(),
                "--namespace", "k8s.io"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void startKubelet(ControlPlane plane, Path k8sBin, boolean dns) throws IOException, InterruptedException {
        Path[] serving = plane.pki.kubeletServing(NAME, NODE_IP);
        Path config = dir.resolve("kubelet.yaml");
        Files.writeString(config, """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                # this VM has cgroup v1 only; Kubernetes 1.35+ refuses it unless told
                failCgroupV1: false
                cgroupDriver: cgroupfs
                containerRuntimeEndpoint: unix://%s
                address: %s
                port: %d
                readOnlyPort: 0
                healthzPort: 0
                tlsCertFile: %s
                tlsPrivateKeyFile: %s
                authentication:
                  anonymous: {enabled: false}
                  webhook: {enabled: true}
                  x509: {clientCAFile: %s}
                authorization: {mode: Webhook}
                registerWithTaints: [{key: %s, value: real, effect: NoSchedule}]
                failSwapOn: false
                # the containers' logs with the node's other files, not in the machine's /var/log/pods
                podLogsDir: %s
                resolvConf: ""
                enforceNodeAllocatable: []
                # the machine's disk is shared with everything else: only a full one evicts
                evictionHard: {memory.available: "100Mi", nodefs.available: "1%%", imagefs.available: "1%%"}
                imageGCHighThresholdPercent: 100
                imageGCLowThresholdPercent: 99
                %s
                """.formatted(socket(), NODE_IP, Ports.free(), serving[0], serving[1], plane.pki.caCert(), POOL_LABEL,
                podLogs(), dns ? "clusterDNS: [" + CLUSTER_DNS + "]\nclusterDomain: cluster.local" : ""));
        kubelet = List.of(k8sBin.resolve("kubelet").toString(), "--config", config.toString(),
                "--kubeconfig", plane.adminKubeconfig.toString(), "--hostname-override", NAME, "--node-ip", NODE_IP,
                "--node-labels", POOL_LABEL + "=real", "--root-dir", dir.resolve("kubelet").toString(),
                "--cert-dir", dir.resolve("certs").toString());
        daemons.add(Daemon.start("kubelet", kubelet, dir));
    }

    /**
     * Stops the kubelet (SIGTERM, as systemd restarts it), leaves it down {@code downMillis}, and starts it again with the
     * same configuration. The containers go on running under containerd meanwhile, as on any node; the new kubelet finds
     * them and reports their pods again.
     */
    void restartKubelet(long downMillis) throws IOException, InterruptedException {
        int i = indexOf("kubelet");
        daemons.get(i).close();
        Thread.sleep(downMillis);
        daemons.set(i, Daemon.start("kubelet", kubelet, dir));
    }

    private int indexOf(String daemon) {
        for (int i = 0; i < daemons.size(); i++) {
            if (daemons.get(i).name.equals(daemon)) {
                return i;
            }
        }
        throw new IllegalStateException("no " + daemon + " runs on the real node");
    }

    /**
     * SIGKILLs a running container's process, as the kernel's OOM killer or a crash would end it; the kubelet sees it
     * exit. {@code containerId} is a pod status's container ID (with or without {@code containerd://}).
     */
    boolean kill(String containerId) {
        String id = bareId(containerId);
        return pid(id) > 0 && unchecked(() -> exit(ctr("tasks", "kill", "--signal", "SIGKILL", id))) == 0;
    }

    /** The machine's process id of a running container's first process (its entrypoint's java), or -1 if it runs not. */
    long pid(String containerId) {
        String id = bareId(containerId);
        for (String line : unchecked(() -> run(ctr("tasks", "ls"), 60)).lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].equals(id) && f[2].equals("RUNNING")) {
                return Long.parseLong(f[1]);
            }
        }
        return -1;
    }

    /**
     * A running container's memory cgroup (v1, the kubelet's cgroupfs driver: {@code kubepods[/<qos>]/pod<uid>/<id>}), whose
     * {@code memory.max_usage_in_bytes} is the high-water mark the kernel holds against the limit; null once it is gone.
     */
    static Path memoryCgroup(String podUid, String containerId) {
        String id = bareId(containerId);
        Path kubepods = Path.of("/sys/fs/cgroup/memory/kubepods");
        for (Path pod : List.of(kubepods.resolve("pod" + podUid), kubepods.resolve("burstable").resolve("pod" + podUid),
                kubepods.resolve("besteffort").resolve("pod" + podUid))) {
            if (Files.isDirectory(pod.resolve(id))) {
                return pod.resolve(id);
            }
        }
        return null;
    }

    /** A container's ID without its runtime's scheme ({@code containerd://}). */
    private static String bareId(String containerId) {
        int scheme = containerId.indexOf("://");
        return scheme < 0 ? containerId : containerId.substring(scheme + 3);
    }

    /** Where the kubelet keeps the containers' logs: {@code <namespace>_<pod>_<uid>/<container>/<restart>.log}. */
    Path podLogs() {
        return dir.resolve("pod-logs");
    }

    /**
     * kube-proxy (iptables mode) for the {@code kubernetes} Service: a pod's request to its ClusterIP is sent to the
     * API server at the bridge's address, as in any cluster (the Service's endpoint is the API server's own).
     */
    private void startKubeProxy(ControlPlane plane, Path k8sBin) throws IOException {
        Path config = dir.resolve("kube-proxy.yaml");
        Files.writeString(config, """
                apiVersion: kubeproxy.config.k8s.io/v1alpha1
                kind: KubeProxyConfiguration
                mode: iptables
                clientConnection: {kubeconfig: %s}
                hostnameOverride: %s
                clusterCIDR: %s
                bindAddress: %s
                healthzBindAddress: 127.0.0.1:%d
                metricsBindAddress: 127.0.0.1:%d
                # a VM's conntrack table is the host's to size
                conntrack: {maxPerCore: 0}
                """.formatted(plane.adminKubeconfig, NAME, SUBNET, NODE_IP, Ports.free(), Ports.free()));
        kubeProxy = k8sBin.resolve("kube-proxy");
        daemons.add(Daemon.start("kube-proxy", List.of(kubeProxy.toString(), "--config", config.toString()), dir));
    }

    /** CoreDNS as e2e/dns/coredns.yaml deploys it, Ready: pods resolve {@code <service>.<namespace>.svc.cluster.local}. */
    private void startDns(Path repo) throws IOException, InterruptedException {
        try (var in = Files.newInputStream(repo.resolve("e2e/dns/coredns.yaml"))) {
            admin.load(in).forceConflicts().serverSideApply();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            var d = admin.apps().deployments().inNamespace("kube-system").withName("coredns").get();
            if (d != null && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas())) {
                LOG.info("CoreDNS ready at {}", CLUSTER_DNS);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("CoreDNS not ready within 120 s: " + admin.pods().inNamespace("kube-system")
                        .withLabel("k8s-app", "kube-dns").list().getItems().stream().map(p -> String.valueOf(p.getStatus())).toList());
            }
            Thread.sleep(500);
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            for (Daemon d : daemons) {
                if (!d.alive()) {
                    throw new IOException(d.name + " exited; its log ends:\n" + d.tail());
                }
            }
            Node node = admin.nodes().withName(NAME).get();
            if (node != null && node.getStatus() != null && node.getStatus().getConditions() != null) {
                for (NodeCondition c : node.getStatus().getConditions()) {
                    if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
                        LOG.info("real node {} Ready: {}", NAME, node.getStatus().getNodeInfo().getContainerRuntimeVersion());
                        return;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("node " + NAME + " not Ready within 120 s; the kubelet's log ends:\n"
                        + daemons.get(indexOf("kubelet")).tail());
            }
            Thread.sleep(500);
        }
    }

    /** The kubelet, containerd and their shims stopped, the pods' mounts undone, the node object gone. */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
        try {
            exit(List.of("pkill", "-KILL", "-f", "--", "containerd-shim-runc-v2 -namespace k8s.io .*-address " + socket()));
            if (kubeProxy != null) {
                exit(List.of(kubeProxy.toString(), "--cleanup"));
            }
            exit(List.of("sh", "-c", "awk -v r='" + dir + "/' 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r"
                    + " | xargs -r umount -l"));
        } catch (IOException | InterruptedException e) {
            LOG.warn("cleaning up the real node: {}", e.getMessage());
        }
        if (s3 != null) {
            s3.close();
        }
        try {
            admin.nodes().withName(NAME).delete();
        } catch (RuntimeException e) {
            // the API server may be gone first
        }
    }

    private static String appVersion(Path repo) throws IOException {
        for (String line : Files.readAllLines(repo.resolve("charts/dataparallel/Chart.yaml"))) {
            if (line.startsWith("appVersion:")) {
                return line.substring("appVersion:".length()).trim().replace("\"", "");
            }
        }
        throw new IOException("no appVersion in charts/dataparallel/Chart.yaml");
    }

    private static String lastLine(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1).trim();
    }

    private interface CtrCall<T> {
        T call() throws IOException, InterruptedException;
    }

    /** For what tests call between their steps (kill, pid): a failing ctr is the test's failure, not a case to handle. */
    private static <T> T unchecked(CtrCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking containerd", e);
        }
    }

    private static int exit(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** Runs {@code cmd}; its stdout, or an IOException with what it printed. Progress on stderr goes to the log. */
    private static String run(List<String> cmd, long seconds) throws IOException, InterruptedException {
        Path err = Files.createTempFile("real-node", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " ran past " + seconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + new String(out) + Files.readString(err));
            }
            return new String(out);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
