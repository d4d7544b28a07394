package io.dataparallel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A loopback TCP proxy that limits what flows from the store to the client to a fixed
 * bandwidth, shared by all connections: S3 as seen from a worker on a slower network.
 * Bytes are forwarded unchanged, so request signatures stay valid.
 */
final class ThrottledProxy implements AutoCloseable {
    private final ServerSocket server;
    private final URI upstream;
    private final double bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    ThrottledProxy(URI upstream, double bytesPerSecond) throws IOException {
        this.upstream = upstream;
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "throttle-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(upstream.getHost(), upstream.getPort());
                daemon(() -> copy(client, target, false));
                daemon(() -> copy(target, client, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void copy(Socket from, Socket to, boolean throttled) {
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (throttled) {
                    pace(n);
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException | InterruptedException ignored) {
            // a side closed
        } finally {
            close(from);
            close(to);
        }
    }

    /** One shared budget: every connection together gets bytesPerSecond. */
    private void pace(int bytes) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            nextFreeNanos = Math.max(nextFreeNanos, now) + (long) (bytes / bytesPerSecond * 1e9);
            wait = nextFreeNanos - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "throttle-copy");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
