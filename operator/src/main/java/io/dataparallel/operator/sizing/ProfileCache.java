package io.dataparallel.operator.sizing;

import io.dataparallel.core.sizing.Profile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Profiles kept for the next job in the namespace: a ConfigMap per profile, named from what the
 * profile is valid for (model checksum, node pool, device, data prefix) and the day it was
 * measured, owned by no job so it outlives the one that measured it. A profile older than
 * {@link #MAX_AGE} is stale and measured again; so is one that cannot be read.
 *
 * <p>Why the data prefix and not the input shapes: the operator would have to read a partition to
 * know its shapes, and the operator runs without the data. Partitions under one prefix share their
 * layout (the planner and workers rely on it), so the prefix stands for the shapes; a new prefix is
 * measured again, which costs one short pod, never a wrong prediction. The profile itself records
 * the shapes it measured ({@code key.inputShapes}).
 *
 * <p>The operator's role may get and create ConfigMaps, not update them: a profile is written
 * once under its day's name, and a lookup tries each day back to {@link #MAX_AGE}.
 */
public final class ProfileCache {
    public static final Duration MAX_AGE = Duration.ofDays(7);
    public static final String LABEL = "dataparallel.io/profile";
    private static final String KEY = "profile.json";

    private final KubernetesClient client;

    public ProfileCache(KubernetesClient client) {
        this.client = client;
    }

    /** What a profile is looked up by. */
    public record Key(String modelEtag, String nodePool, String device, String dataUri) {
        String hash() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", modelEtag, nodePool, device, dataUri)
                        .getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest).substring(0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The newest profile of {@code key} measured within {@link #MAX_AGE} of {@code now}, if any. */
    public Optional<Found> find(String namespace, Key key, Instant now) {
        for (int days = 0; days <= MAX_AGE.toDays(); days++) {
            String name = name(key, now.minus(days, ChronoUnit.DAYS));
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
            if (cm == null || cm.getData() == null || !cm.getData().containsKey(KEY)) {
                continue;
            }
            try {
                Profile p = Profile.fromJson(cm.getData().get(KEY).getBytes(StandardCharsets.UTF_8));
                if (p.problem().isEmpty() && !Instant.parse(p.measuredAt()).plus(MAX_AGE).isBefore(now)) {
                    return Optional.of(new Found(p, "configmap/" + name));
                }
            } catch (RuntimeException e) {
                // unreadable: as if missing, measured again
            }
        }
        return Optional.empty();
    }

    /** A profile and where it was kept. */
    public record Found(Profile profile, String where) {
    }

    /** Keeps {@code profile} under today's name; an existing one of today stays (another job measured it first). */
    public String keep(String namespace, Key key, Profile profile, Instant now) {
        String name = name(key, now);
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(Map.of(LABEL, "true", "app.kubernetes.io/managed-by", "dataparallel-operator"))
                .withAnnotations(Map.of("dataparallel.io/model-etag", key.modelEtag(), "dataparallel.io/node-pool", key.nodePool(),
                        "dataparallel.io/data", key.dataUri()))
                .endMetadata()
                .withData(Map.of(KEY, new String(profile.toJson(), StandardCharsets.UTF_8))).build();
        try {
            client.resource(cm).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        return "configmap/" + name;
    }

    static String name(Key key, Instant day) {
        return "dataparallel-profile-" + key.hash() + "-" + day.toString().substring(0, 10).replace("-", "");
    }
}
