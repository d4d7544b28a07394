package io.dataparallel.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Upstream etcd, kube-apiserver, kube-controller-manager and kube-scheduler as local processes,
 * configured as a real cluster runs them: TLS, RBAC, service account token issuance, the
 * default admission plugins plus PodSecurity and OwnerReferencesPermissionEnforcement, and an
 * audit log of every request a service account makes (what the RBAC test reads).
 */
final class ControlPlane implements AutoCloseable {
    /** Service ClusterIPs are allocated from here; nothing ever routes to them. */
    static final String SERVICE_RANGE = "10.96.0.0/12";
    /**
     * How long a node may miss its heartbeats before the node lifecycle controller marks it
     * NotReady/Unknown and taints it (default 50 s): shortened so a lost node is seen within the
     * suite's patience; {@link FakeNodes} beats five times as often.
     */
    static final int NODE_GRACE_SECONDS = 20;
    /**
     * The tolerations the API server gives every pod for {@code not-ready} and {@code unreachable}
     * taints (default 300 s): the taint eviction of a lost node's pods follows 10 s after the taint.
     */
    static final int NODE_TOLERATION_SECONDS = 10;
    private final Path bin;
    private final Path state;
    private final List<Daemon> daemons = new ArrayList<>();
    private List<String> apiServerCommand;
    /** From each restarted API server's start until it was ready: when it may refuse what its caches do not hold yet. */
    final List<Instant[]> notReady = new CopyOnWriteArrayList<>();
    final Pki pki;
    int apiPort;
    Path adminKubeconfig;
    Path auditLog;

    /**
     * Where the API server listens and what it advertises: loopback for the process kubelet, whose pods share the
     * host's network; the real node's bridge address when pods in their own network reach it (through the
     * {@code kubernetes} Service, whose endpoint the API server then keeps itself).
     */
    final String address;

    ControlPlane(Path bin, Path state) {
        this(bin, state, "127.0.0.1");
    }

    ControlPlane(Path bin, Path state, String address) {
        this.bin = bin;
        this.state = state;
        this.address = address;
        this.pki = new Pki(state.resolve("pki"));
    }

    ControlPlane start() throws IOException, InterruptedException {
        pki.ensure();
        int etcdPort = Ports.free();
        int peerPort = Ports.free();
        apiPort = Ports.free();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        Path etcdData = state.resolve("etcd");
        // a fresh store each start: a cluster is torn down with everything in it
        deleteTree(etcdData);
        daemons.add(Daemon.start("etcd", List.of(bin.resolve("etcd").toString(), "--name", "e2e",
                "--data-dir", etcdData.toString(), "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-cluster", "e2e=http://127.0.0.1:" + peerPort,
                // a test cluster: durability across power loss is not worth the fsyncs
                "--unsafe-no-fsync", "--log-level", "warn"), state));

        auditLog = state.resolve("logs/audit.log");
        Path policy = state.resolve("audit-policy.yaml");
        Files.writeString(policy, """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: [RequestReceived]
                rules:
                  - level: Metadata
                    userGroups: ["system:serviceaccounts"]
                  - level: None
                """);
        apiServerCommand = List.of(bin.resolve("kube-apiserver").toString(),
                "--etcd-servers", etcdUrl,
                "--bind-address", address, "--advertise-address", address, "--secure-port", Integer.toString(apiPort),
                "--tls-cert-file", pki.serverCert().toString(), "--tls-private-key-file", pki.serverKey().toString(),
                "--client-ca-file", pki.caCert().toString(),
                // to a real kubelet (logs, exec): by its node's InternalIP (no DNS here), as the cluster's admin, whom the
                // kubelet's webhook authorizer lets through
                "--kubelet-preferred-address-types", "InternalIP",
                "--kubelet-client-certificate", pki.adminCert().toString(), "--kubelet-client-key", pki.adminKey().toString(),
                "--kubelet-certificate-authority", pki.caCert().toString(),
                "--authorization-mode", "Node,RBAC",
                "--enable-admission-plugins", "OwnerReferencesPermissionEnforcement",
                "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file", pki.serviceAccountPub().toString(),
                "--service-account-signing-key-file", pki.serviceAccountKey().toString(),
                "--service-cluster-ip-range", SERVICE_RANGE,
                // the default reconciler refuses a loopback address for the kubernetes Service
                "--endpoint-reconciler-type", address.startsWith("127.") ? "none" : "lease",
                "--audit-policy-file", policy.toString(), "--audit-log-path", auditLog.toString(),
                "--audit-log-format", "json",
                "--default-not-ready-toleration-seconds", Integer.toString(NODE_TOLERATION_SECONDS),
                "--default-unreachable-toleration-seconds", Integer.toString(NODE_TOLERATION_SECONDS));
        daemons.add(Daemon.start("kube-apiserver", apiServerCommand, state));
        adminKubeconfig = writeKubeconfig("admin.kubeconfig", pki.adminCert(), pki.adminKey());
        awaitApiServer();

        String kubeconfig = adminKubeconfig.toString();
        daemons.add(Daemon.start("kube-controller-manager", List.of(bin.resolve("kube-controller-manager").toString(),
                "--kubeconfig", kubeconfig, "--authentication-kubeconfig", kubeconfig, "--authorization-kubeconfig", kubeconfig,
                "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(Ports.free()),
                "--leader-elect=false", "--controllers", "*",
                "--service-account-private-key-file", pki.serviceAccountKey().toString(),
                "--root-ca-file", pki.caCert().toString(),
                "--service-cluster-ip-range", SERVICE_RANGE,
                "--node-monitor-grace-period", NODE_GRACE_SECONDS + "s",
                // each controller with its own service account, as kubeadm runs it
                "--use-service-account-credentials"), state));
        daemons.add(Daemon.start("kube-scheduler", List.of(bin.resolve("kube-scheduler").toString(),
                "--kubeconfig", kubeconfig, "--authentication-kubeconfig", kubeconfig, "--authorization-kubeconfig", kubeconfig,
                "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(Ports.free()),
                "--leader-elect=false"), state));
        return this;
    }

    /**
     * Stops kube-apiserver (SIGTERM, as a rolling restart of a control plane node does) and starts
     * it again on the same port with the same certificates and flags; etcd keeps everything.
     * Returns once it is ready again. Clients see connection errors meanwhile and must recover.
     */
    void restartApiServer(long downMillis) throws IOException, InterruptedException {
        int i = apiServerIndex();
        daemons.get(i).close();
        Thread.sleep(downMillis);
        Instant started = Instant.now();
        daemons.set(i, Daemon.start("kube-apiserver", apiServerCommand, state));
        awaitApiServer();
        notReady.add(new Instant[] {started, Instant.now()});
    }

    private int apiServerIndex() {
        for (int i = 0; i < daemons.size(); i++) {
            if (daemons.get(i).name.equals("kube-apiserver")) {
                return i;
            }
        }
        throw new IllegalStateException("kube-apiserver is not running");
    }

    String server() {
        return "https://" + address + ":" + apiPort;
    }

    KubernetesClient adminClient() throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(adminKubeconfig));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A kubeconfig for this cluster; either a client certificate or a bearer token file. */
    Path writeKubeconfig(String name, Path cert, Path key) throws IOException {
        String user = "    client-certificate: " + cert + "\n    client-key: " + key + "\n";
        return writeKubeconfig(name, user);
    }

    Path writeTokenKubeconfig(String name, String token) throws IOException {
        return writeKubeconfig(name, "    token: " + token + "\n");
    }

    private Path writeKubeconfig(String name, String user) throws IOException {
        Path file = state.resolve(name);
        Files.writeString(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: e2e\n  cluster:\n"
                + "    server: " + server() + "\n    certificate-authority: " + pki.caCert() + "\n"
                + "users:\n- name: user\n  user:\n" + user
                + "contexts:\n- name: e2e\n  context:\n    cluster: e2e\n    user: user\ncurrent-context: e2e\n");
        return file;
    }

    private void awaitApiServer() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        try (KubernetesClient client = adminClient()) {
            while (true) {
                checkAlive();
                try {
                    if ("ok".equals(client.raw("/readyz"))) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // connection refused until it listens
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("kube-apiserver not ready within 120 s; its log ends:\n" + daemons.get(apiServerIndex()).tail());
                }
                Thread.sleep(250);
            }
        }
    }

    void checkAlive() throws IOException {
        for (Daemon d : daemons) {
            if (!d.alive()) {
                throw new IOException(d.name + " exited; its log ends:\n" + d.tail());
            }
        }
    }

    /** Removes a folder and all in it; what vanishes meanwhile (a process still cleaning up) is no error. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(folder);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
        daemons.clear();
    }
}
