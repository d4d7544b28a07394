package io.dataparallel.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports: every listener of the harness is on 127.0.0.1 only.
 *
 * <p>Ports are drawn below Linux's ephemeral range (32768-60999 by default), not from the
 * kernel's port 0: a port the kernel hands out is free only until the daemon binds it, and in
 * between any outgoing connection (the harness, the operator and the workers open hundreds) may
 * take it as its local port. That happened once in CI: etcd failed with "address already in use".
 * No port is handed out twice in one JVM.
 */
final class Ports {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    static synchronized int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + LOW + "-" + HIGH + " after 1,000 tries");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
