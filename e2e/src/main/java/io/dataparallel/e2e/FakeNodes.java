package io.dataparallel.e2e;

import io.dataparallel.core.concurrent.DaemonThreads;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness's nodes: a CPU node and a GPU node labelled and tainted as the chart's node pools
 * expect (and more CPU nodes a test adds), registered as a kubelet registers and kept Ready by
 * its heartbeats (the node Lease every 4 s, the Ready condition every 8 s: the controller
 * manager's {@code --node-monitor-grace-period} is shortened to {@value ControlPlane#NODE_GRACE_SECONDS} s
 * so that a lost node is noticed quickly), so the node lifecycle controller leaves them be
 * until a node is {@linkplain #lose lost}.
 */
final class FakeNodes implements AutoCloseable {
    static final String CPU_NODE = "e2e-cpu-0";
    static final String GPU_NODE = "e2e-gpu-0";
    static final String GPU_RESOURCE = "nvidia.com/gpu";
    private static final Logger LOG = LoggerFactory.getLogger(FakeNodes.class);
    private final KubernetesClient client;
    /** Read by the process kubelet's threads while a test adds a node: concurrent. */
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("node-heartbeat"));

    FakeNodes(KubernetesClient client) {
        this.client = client;
    }

    /** Registers the GPU node and, with {@code cpuNode}, the CPU node, and keeps them Ready. */
    FakeNodes register(boolean cpuNode) {
        if (cpuNode) {
            register(node(CPU_NODE, Map.of("dataparallel.io/e2e-pool", "cpu"), false));
        }
        register(node(GPU_NODE, Map.of("nvidia.com/gpu.present", "true", "dataparallel.io/e2e-pool", "gpu"), true));
        heartbeat.scheduleWithFixedDelay(this::renewLeases, 0, 4, TimeUnit.SECONDS);
        heartbeat.scheduleWithFixedDelay(this::reportReady, 0, 8, TimeUnit.SECONDS);
        return this;
    }

    /** One more node of the CPU pool, kept Ready like the others; its pods run on the process kubelet. */
    void addCpuNode(String name) {
        register(node(name, Map.of("dataparallel.io/e2e-pool", "cpu"), false));
    }

    /** The node's heartbeats stop (Lease and Ready), as when its machine goes away. */
    void lose(String name) {
        lost.add(name);
    }

    /** The node object is removed (as a cloud's node controller removes a machine that is gone) and forgotten. */
    void remove(String name) {
        lost.add(name);
        client.nodes().withName(name).delete();
        nodes.remove(name);
    }

    Map<String, Node> nodes() {
        return nodes;
    }

    private void register(Node node) {
        Node existing = client.nodes().withName(node.getMetadata().getName()).get();
        nodes.put(node.getMetadata().getName(), existing != null ? existing : client.nodes().resource(node).create());
    }

    private static Node node(String name, Map<String, String> extraLabels, boolean gpu) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux",
                "kubernetes.io/arch", "amd64"));
        labels.putAll(extraLabels);
        Map<String, Quantity> capacity = new LinkedHashMap<>(Map.of("cpu", new Quantity("32"), "memory", new Quantity("128Gi"),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("200Gi")));
        if (gpu) {
            capacity.put(GPU_RESOURCE, new Quantity("8"));
        }
        String now = now();
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("process kubelet is posting ready status").withLastHeartbeatTime(now).withLastTransitionTime(now)
                .endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.37.2").withOperatingSystem("linux").withArchitecture("amd64")
                .withContainerRuntimeVersion("process://dataparallel-e2e").withKernelVersion("").withOsImage("dataparallel e2e")
                .withKubeProxyVersion("").withMachineID(name).withSystemUUID(name).withBootID(name).endNodeInfo()
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .endStatus();
        if (gpu) {
            b.editSpec().addNewTaint().withKey(GPU_RESOURCE).withValue("present").withEffect("NoSchedule").endTaint().endSpec();
        }
        return b.build();
    }

    private void renewLeases() {
        for (String name : nodes.keySet()) {
            if (lost.contains(name)) {
                continue;
            }
            try {
                ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                Lease lease = client.leases().inNamespace("kube-node-lease").withName(name).get();
                if (lease == null) {
                    Node node = nodes.get(name);
                    client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder().withNewMetadata().withName(name)
                            .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(name)
                            .withUid(node.getMetadata().getUid()).endOwnerReference().endMetadata()
                            .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40).withRenewTime(now).endSpec()
                            .build()).create();
                } else {
                    lease.getSpec().setRenewTime(now);
                    client.leases().inNamespace("kube-node-lease").resource(lease).update();
                }
            } catch (RuntimeException e) {
                LOG.debug("node lease {} not renewed: {}", name, e.toString());
            }
        }
    }

    private void reportReady() {
        for (String name : nodes.keySet()) {
            if (lost.contains(name)) {
                continue;
            }
            try {
                String now = now();
                Map<String, Object> ready = Map.of("type", "Ready", "status", "True", "reason", "KubeletReady",
                        "message", "process kubelet is posting ready status", "lastHeartbeatTime", now);
                client.nodes().withName(name).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                        Serialization.asJson(Map.of("status", Map.of("conditions", List.of(ready)))));
            } catch (RuntimeException e) {
                LOG.debug("node {} status not written: {}", name, e.toString());
            }
        }
    }

    private static String now() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
