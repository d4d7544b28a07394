package io.dataparallel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates and keys a control plane needs, made with openssl once per state folder:
 * a cluster CA, the API server's serving certificate (loopback and the in-cluster names), an
 * admin client certificate in {@code system:masters}, and the key pair that signs service
 * account tokens.
 */
final class Pki {
    final Path dir;

    Pki(Path dir) {
        this.dir = dir;
    }

    Path caCert() {
        return dir.resolve("ca.crt");
    }

    Path caKey() {
        return dir.resolve("ca.key");
    }

    Path serverCert() {
        return dir.resolve("apiserver.crt");
    }

    Path serverKey() {
        return dir.resolve("apiserver.key");
    }

    Path adminCert() {
        return dir.resolve("admin.crt");
    }

    Path adminKey() {
        return dir.resolve("admin.key");
    }

    Path serviceAccountKey() {
        return dir.resolve("sa.key");
    }

    Path serviceAccountPub() {
        return dir.resolve("sa.pub");
    }

    /** Makes whatever is missing; an existing set is kept so a restarted cluster keeps its identity. */
    Pki ensure() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (!Files.exists(caCert())) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey().toString(), "-out", caCert().toString(),
                    "-days", "3650", "-subj", "/CN=dataparallel-e2e-ca");
        }
        if (!Files.exists(serverCert())) {
            Path ext = dir.resolve("apiserver.ext");
            Files.writeString(ext, "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,IP:" + RealNode.NODE_IP + ",DNS:localhost,DNS:kubernetes,"
                    + "DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n"
                    + "extendedKeyUsage=serverAuth\n");
            signed("apiserver", "/CN=kube-apiserver", ext);
        }
        if (!Files.exists(adminCert())) {
            Path ext = dir.resolve("client.ext");
            Files.writeString(ext, "extendedKeyUsage=clientAuth\n");
            signed("admin", "/O=system:masters/CN=dataparallel-e2e-admin", ext);
        }
        if (!Files.exists(serviceAccountKey())) {
            openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", serviceAccountKey().toString());
            openssl("pkey", "-in", serviceAccountKey().toString(), "-pubout", "-out", serviceAccountPub().toString());
        }
        return this;
    }

    /** A kubelet's serving certificate for {@code node} at {@code ip} (made once); returns {cert, key}. */
    Path[] kubeletServing(String node, String ip) throws IOException, InterruptedException {
        String name = "kubelet-" + node;
        if (!Files.exists(dir.resolve(name + ".crt"))) {
            Path ext = dir.resolve(name + ".ext");
            Files.writeString(ext, "subjectAltName=IP:" + ip + ",DNS:" + node + "\nextendedKeyUsage=serverAuth\n");
            signed(name, "/CN=" + node, ext);
        }
        return new Path[] {dir.resolve(name + ".crt"), dir.resolve(name + ".key")};
    }

    private void signed(String name, String subject, Path ext) throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", subject);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert().toString(), "-CAkey", caKey().toString(),
                "-CAcreateserial", "-days", "3650", "-extfile", ext.toString(), "-out", dir.resolve(name + ".crt").toString());
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (p.waitFor() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed; see " + log);
        }
    }
}
