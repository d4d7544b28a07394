package io.dataparallel.operator.s3;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.InferenceJob;
import io.dataparallel.api.launch.WorkerLaunch;
import io.dataparallel.api.spec.S3Spec;
import io.dataparallel.core.s3.ObjectStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Credentials from the Secret named by {@code spec.s3.credentialsSecret} in the job's
 * namespace (the same one workers get); without one, the operator's own identity (for
 * example IRSA on EKS) through the AWS default chain. Clients are shared across passes
 * ({@link ClientCache}): callers close the store they open, which leaves the client open.
 */
public final class SecretStoreAccess implements StoreAccess, AutoCloseable {
    private final ClientCache clients = new ClientCache();
    private final SecretCache secrets;

    public SecretStoreAccess(KubernetesClient client) {
        this.secrets = new SecretCache(client);
    }

    @Override
    public ObjectStore open(InferenceJob job) {
        S3Spec s3 = job.getSpec().s3OrDefault();
        Map<String, String> env = new HashMap<>();
        String name = s3.credentialsSecret();
        if (name != null && !name.isBlank()) {
            String namespace = job.getMetadata().getNamespace();
            Secret secret = secrets.get(namespace, name);
            if (secret == null) {
                throw new BadInputException("spec.s3.credentialsSecret", "Secret '" + name + "' does not exist in namespace "
                        + namespace + ": kubectl create secret generic " + name
                        + " --from-literal=AWS_ACCESS_KEY_ID=... --from-literal=AWS_SECRET_ACCESS_KEY=...");
            }
            for (String key : WorkerLaunch.CREDENTIAL_KEYS) {
                String value = value(secret, key);
                if (value != null) {
                    env.put(key, value);
                }
            }
            if (!env.containsKey(WorkerLaunch.ACCESS_KEY_ID) || !env.containsKey(WorkerLaunch.SECRET_ACCESS_KEY)) {
                throw new BadInputException("spec.s3.credentialsSecret", "Secret '" + name
                        + "' needs the keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
            }
        }
        return ObjectStore.borrowing(clients.get(s3, env));
    }

    @Override
    public void close() {
        clients.close();
    }

    private static String value(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8).trim();
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }
}
