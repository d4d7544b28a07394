package io.dataparallel.operator;

import io.dataparallel.api.InferenceJob;
import io.dataparallel.operator.config.OperatorConfig;
import io.dataparallel.operator.events.EventRecorder;
import io.dataparallel.operator.metrics.OperatorMetrics;
import io.dataparallel.operator.reconciler.InferenceJobReconciler;
import io.dataparallel.operator.s3.SecretStoreAccess;
import io.dataparallel.operator.s3.StoreAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator put together: the InferenceJob reconciler on JOSDK, leader election, metrics.
 * {@link OperatorMain} runs it in a pod; tests run it against the Fabric8 mock server.
 */
public final class DataparallelOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataparallelOperator.class);
    private final Operator operator;
    private final StoreAccess stores;
    private final EventRecorder events;
    private final List<SharedIndexInformer<InferenceJob>> metricsCaches;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final boolean electing;

    /**
     * How this operator talks to the API server. Tests turn server-side apply off (the mock
     * lacks it) and keep the JVM alive when leadership ends; a pod exits so it restarts clean.
     *
     * @param serverSideApply      JOSDK's SSA for the primary resource
     * @param leaseNamespace       where the leader-election Lease lives; null: no leader election
     * @param exitOnLostLeadership exit the process when this replica stops leading
     * @param observer             told of JOSDK's reconcile events besides the Micrometer metrics, so that
     *                             tests and benchmarks can count reconcile passes; null in production
     */
    public record Options(boolean serverSideApply, String leaseNamespace, boolean exitOnLostLeadership, Metrics observer) {
        public Options(boolean serverSideApply, String leaseNamespace, boolean exitOnLostLeadership) {
            this(serverSideApply, leaseNamespace, exitOnLostLeadership, null);
        }

        public static Options production(String leaseNamespace) {
            return new Options(true, leaseNamespace, true);
        }
    }

    public DataparallelOperator(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Options options) {
        this(client, config, registry, options, new SecretStoreAccess(client));
    }

    public DataparallelOperator(KubernetesClient client, OperatorConfig config, MeterRegistry registry, Options options,
                                StoreAccess stores) {
        OperatorMetrics.describeJosdk(registry);
        Metrics micrometer = MicrometerMetrics.withoutPerResourceMetrics(registry);
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(options.observer() == null ? micrometer
                            : new AggregatedMetrics(List.of(micrometer, options.observer())))
                    .withUseSSAToPatchPrimaryResource(options.serverSideApply())
                    .withSSABasedCreateUpdateMatchForDependentResources(options.serverSideApply());
            if (config.leaderElection().enabled() && options.leaseNamespace() != null) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaderElection().leaseName(),
                        options.leaseNamespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        null, new LeaderCallbacks(() -> leading.set(true), () -> lostLeadership(options), leader -> { }),
                        false));
            }
        });
        this.stores = stores;
        this.events = new EventRecorder(client);
        operator.register(new InferenceJobReconciler(config, stores, events), o -> {
            if (config.watchNamespaces().isEmpty()) {
                o.watchingAllNamespaces();
            } else {
                o.settingNamespaces(new HashSet<>(config.watchNamespaces()));
            }
        });
        this.electing = config.leaderElection().enabled() && options.leaseNamespace() != null;
        this.metricsCaches = OperatorMetrics.caches(client, config.watchNamespaces());
        OperatorMetrics.register(registry, metricsCaches, this::isLeading);
    }

    /**
     * Called on the leader elector's thread while it holds the elector's lock. Exiting right here
     * (what JOSDK's exitOnStopLeading does) deadlocks: the shutdown hook stops the operator, which
     * waits for that lock, and the pod hangs unready forever (found on the real control plane).
     * So the exit happens on a thread of its own, once the elector has let go.
     */
    private void lostLeadership(Options options) {
        leading.set(false);
        if (options.exitOnLostLeadership()) {
            LOG.warn("lost the leader Lease; exiting so the pod restarts and campaigns again");
            Thread exit = new Thread(() -> System.exit(1), "lost-leadership-exit");
            exit.start();
        }
    }

    public void start() {
        operator.start();
        metricsCaches.forEach(SharedIndexInformer::start);
    }

    public boolean isStarted() {
        return operator.getRuntimeInfo().isStarted();
    }

    /**
     * Alive, for the liveness probe. A replica still starting counts as alive: on a starved node its
     * start (JVM, informers listing every InferenceJob and Job) can outlast the probe's delay, and a
     * kill there only starts it over (the e2e burst of 200 jobs showed a crash loop of exactly that).
     * A start that fails ends the process ({@link OperatorMain}), so no start stays alive forever.
     */
    public boolean isHealthy() {
        return !isStarted() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /**
     * Ready to serve: started, its watches healthy, and (with leader election) holding the Lease.
     * A replica that lost the Lease, or never got it, reconciles nothing and says so.
     */
    public boolean isReady() {
        return isStarted() && isHealthy() && (!electing || leading.get());
    }

    /** Whether this replica holds the leader Lease (always true without leader election). */
    public boolean isLeading() {
        return !electing || leading.get();
    }

    @Override
    public void close() {
        metricsCaches.forEach(SharedIndexInformer::close);
        operator.stop();
        events.close();
        if (stores instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the S3 clients failed", e);
            }
        }
    }
}
