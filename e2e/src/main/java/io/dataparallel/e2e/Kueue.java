package io.dataparallel.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kueue (its release's {@code cmd/kueue}, built by {@code e2e/build-kueue.sh}) managing batch/v1 Jobs on the
 * cluster: its CRDs and webhook configurations from its own {@code config/} ({@link KueueManifests}), its internal
 * certificate management issuing the webhook's serving certificate and writing the CA into those configurations.
 *
 * <p>It runs as a process on this machine, not as a pod: Kueue is one static binary that needs nothing of a node, so
 * an image, a Deployment and RBAC for it would only add parts to the test. The API server reaches its webhooks as it
 * reaches any: through the Service {@code kueue-webhook-service.kueue-system} the manifests name, here without a
 * selector and with an EndpointSlice pointing at the real node's bridge address, where Kueue's webhook server listens
 * (kube-proxy on this machine routes the Service's ClusterIP there). The certificate for
 * {@code kueue-webhook-service.kueue-system.svc} is Kueue's own, unchanged; what a pod's secret volume would do with
 * it, this class does ({@link #mountCertificate}). Hence it needs the real node (kube-proxy).
 *
 * <p>It acts with the cluster's admin credentials; the only integration on is {@code batch/job}; the visibility API
 * server is off (it needs an APIService, and nothing here reads it).
 */
public final class Kueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kueue.class);
    private final KubernetesClient admin;
    private final KueueManifests manifests;
    private Daemon daemon;
    private Thread certificateVolume;

    private Kueue(KubernetesClient admin, KueueManifests manifests) {
        this.admin = admin;
        this.manifests = manifests;
    }

    /**
     * Builds Kueue if the cache lacks it, installs its manifests and starts it; returns once its webhooks admit Jobs.
     *
     * @param repo the repository root (e2e/build-kueue.sh)
     */
    public static Kueue start(Cluster cluster, Path repo) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path bin = Path.of(Tools.run(repo, List.of("bash", repo.resolve("e2e/build-kueue.sh").toString()), 3600).strip().lines()
                .reduce((a, b) -> b).orElseThrow());
        Kueue kueue = new Kueue(cluster.admin(), new KueueManifests(bin.getParent().resolve("config"), cluster.admin()));
        try {
            kueue.namespace();
            int webhookPort = kueue.webhookService();
            kueue.install();
            kueue.run(bin.resolve("kueue"), cluster, webhookPort);
            LOG.info("Kueue admitting Jobs ({} s)", Duration.ofNanos(System.nanoTime() - t0).toSeconds());
            return kueue;
        } catch (IOException | InterruptedException | RuntimeException e) {
            kueue.close();
            throw e;
        }
    }

    private void namespace() {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(KueueManifests.NAMESPACE).endMetadata().build())
                .serverSideApply();
        // config/components/internalcert: the Secret the certificate rotator fills
        admin.secrets().inNamespace(KueueManifests.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(KueueManifests.WEBHOOK_SECRET).endMetadata().build()).serverSideApply();
    }

    private void install() throws IOException, InterruptedException {
        for (CustomResourceDefinition crd : manifests.crds()) {
            // server-side: the Workload CRD is too large for the last-applied annotation of a client-side apply
            admin.resource(crd).forceConflicts().serverSideApply();
        }
        for (CustomResourceDefinition crd : manifests.crds()) {
            Cluster.await("CRD " + crd.getMetadata().getName() + " established", 60, () -> admin.apiextensions().v1()
                    .customResourceDefinitions().withName(crd.getMetadata().getName()).get().getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
        }
        admin.resource(manifests.mutating()).forceConflicts().serverSideApply();
        admin.resource(manifests.validating()).forceConflicts().serverSideApply();
    }

    /**
     * config/components/webhook/service.yaml, its pods' selector left out: an EndpointSlice at the bridge's address is
     * its endpoint. Returns once kube-proxy sends the Service's ClusterIP there: before that the API server's requests to
     * the ClusterIP would take this machine's default route, off the machine; so the webhooks are installed after it.
     */
    private int webhookService() throws IOException, InterruptedException {
        int webhookPort = Ports.free();
        admin.services().inNamespace(KueueManifests.NAMESPACE).resource(new ServiceBuilder().withNewMetadata()
                .withName(KueueManifests.WEBHOOK_SERVICE).endMetadata().withNewSpec().addNewPort().withPort(443)
                .withProtocol("TCP").withNewTargetPort(webhookPort).endPort().endSpec().build()).serverSideApply();
        admin.discovery().v1().endpointSlices().inNamespace(KueueManifests.NAMESPACE).resource(new EndpointSliceBuilder()
                .withNewMetadata().withName(KueueManifests.WEBHOOK_SERVICE + "-host")
                .addToLabels("kubernetes.io/service-name", KueueManifests.WEBHOOK_SERVICE)
                .addToLabels("endpointslice.kubernetes.io/managed-by", "e2e.dataparallel.io").endMetadata()
                .withAddressType("IPv4").addNewEndpoint().withAddresses(RealNode.NODE_IP).withNewConditions().withReady(true)
                .endConditions().endEndpoint().addNewPort().withPort(webhookPort).withProtocol("TCP").endPort().build())
                .serverSideApply();
        String clusterIp = admin.services().inNamespace(KueueManifests.NAMESPACE).withName(KueueManifests.WEBHOOK_SERVICE).get()
                .getSpec().getClusterIP();
        Cluster.await("kube-proxy to route " + KueueManifests.WEBHOOK_SERVICE + " (" + clusterIp + ") to " + RealNode.NODE_IP, 60,
                () -> Tools.exec(Path.of(System.getProperty("java.io.tmpdir")), List.of("iptables", "-w", "-t", "nat", "-S", "KUBE-SERVICES"), 30)
                        .output().contains("-d " + clusterIp + "/32"));
        return webhookPort;
    }

    private void run(Path binary, Cluster cluster, int webhookPort) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(cluster.state().resolve("kueue"));
        int healthPort = Ports.free();
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                apiVersion: config.kueue.x-k8s.io/v1beta2
                kind: Configuration
                namespace: %s
                health:
                  healthProbeBindAddress: 127.0.0.1:%d
                metrics:
                  bindAddress: "0"
                webhook:
                  host: %s
                  port: %d
                  certDir: %s
                leaderElection:
                  leaderElect: false
                internalCertManagement:
                  enable: true
                  webhookServiceName: %s
                  webhookSecretName: %s
                manageJobsWithoutQueueName: false
                integrations:
                  frameworks: ["batch/job"]
                """.formatted(KueueManifests.NAMESPACE, healthPort, RealNode.NODE_IP, webhookPort, dir.resolve("certs"),
                KueueManifests.WEBHOOK_SERVICE, KueueManifests.WEBHOOK_SECRET));
        mountCertificate(dir.resolve("certs"));
        daemon = Daemon.start("kueue", List.of(binary.toString(), "--config", config.toString(),
                "--kubeconfig", cluster.kubeconfig().toString(), "--feature-gates", "VisibilityOnDemand=false"),
                cluster.state());
        HttpClient http = HttpClient.newHttpClient();
        Cluster.await("Kueue ready (its /readyz; log " + daemon.log + ")", 180, () -> {
            if (!daemon.alive()) {
                throw new IllegalStateException("kueue exited: " + daemon.tail());
            }
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
        if (!daemon.alive()) {
            throw new IOException("kueue exited; its log ends:\n" + daemon.tail());
        }
        // the proof the API server reaches the webhook (Service, EndpointSlice, kube-proxy, Kueue's certificate): a
        // queued Job's dry-run create comes back suspended by Kueue's mutating webhook
        Cluster.await("Kueue's Job webhook to suspend a queued Job (log " + daemon.log + ")", 120, () -> {
            Job probe = new JobBuilder().withNewMetadata().withName("kueue-webhook-probe").withNamespace("default")
                    .addToLabels("kueue.x-k8s.io/queue-name", "probe").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                    .withRestartPolicy("Never").addNewContainer().withName("c").withImage("probe").endContainer().endSpec()
                    .endTemplate().endSpec().build();
            Job dryRun = admin.batch().v1().jobs().inNamespace("default").resource(probe).dryRun().create();
            return Boolean.TRUE.equals(dryRun.getSpec().getSuspend());
        });
    }

    /**
     * Plays the kubelet's secret volume of {@code config/default}'s Deployment: Kueue's certificate rotator writes the
     * serving certificate into the Secret and then waits for it to appear in its certificate folder, as mounted from that
     * Secret. A daemon thread copies the Secret's keys there whenever they change, each file replaced atomically.
     */
    private void mountCertificate(Path certDir) throws IOException {
        Files.createDirectories(certDir);
        Thread sync = new Thread(() -> {
            Map<String, String> mounted = Map.of();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Secret secret = admin.secrets().inNamespace(KueueManifests.NAMESPACE).withName(KueueManifests.WEBHOOK_SECRET).get();
                    Map<String, String> data = secret == null || secret.getData() == null ? Map.of() : secret.getData();
                    if (!data.equals(mounted)) {
                        for (Map.Entry<String, String> e : data.entrySet()) {
                            Path tmp = certDir.resolve("." + e.getKey() + ".tmp");
                            Files.write(tmp, Base64.getDecoder().decode(e.getValue()));
                            Files.move(tmp, certDir.resolve(e.getKey()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        }
                        mounted = data;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("syncing Kueue's certificate: {}", e.toString());
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "kueue-cert-volume");
        sync.setDaemon(true);
        sync.start();
        certificateVolume = sync;
    }

    /**
     * Takes the webhook configurations away before Kueue stops: with failurePolicy Fail, a webhook nobody serves would
     * refuse every Job (and pod) the rest of the suite creates. The CRDs and queues stay, inert.
     */
    @Override
    public void close() {
        try {
            admin.resource(manifests.mutating()).delete();
            admin.resource(manifests.validating()).delete();
        } catch (IOException | RuntimeException e) {
            LOG.warn("removing Kueue's webhook configurations: {}", e.toString());
        }
        if (daemon != null) {
            daemon.close();
        }
        if (certificateVolume != null) {
            certificateVolume.interrupt();
        }
    }
}
