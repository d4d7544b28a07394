package io.dataparallel.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards TCP connections from one local address to another: the S3 endpoint listens on loopback,
 * which a pod in its own network namespace cannot reach, so the real node's bridge address forwards to it.
 */
final class TcpForwarder implements AutoCloseable {
    private final ServerSocket server;
    private final String toHost;
    private final int toPort;

    private TcpForwarder(ServerSocket server, String toHost, int toPort) {
        this.server = server;
        this.toHost = toHost;
        this.toPort = toPort;
    }

    static TcpForwarder start(String host, int port, String toHost, int toPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        TcpForwarder f = new TcpForwarder(server, toHost, toPort);
        Thread accept = new Thread(f::accept, "forward-" + port);
        accept.setDaemon(true);
        accept.start();
        return f;
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket(toHost, toPort);
                java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
                pipe(in, out, open);
                pipe(out, in, open);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    /**
     * Copies {@code from} to {@code to} on a thread of its own; at the end of {@code from}, half-closes {@code to}, and
     * the last of the two directions to end closes both sockets.
     */
    private static void pipe(Socket from, Socket to, java.util.concurrent.atomic.AtomicInteger open) {
        Thread t = new Thread(() -> {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
                to.shutdownOutput();
            } catch (IOException e) {
                close(to);
                close(from);
            }
            if (open.decrementAndGet() == 0) {
                close(to);
                close(from);
            }
        }, "forward");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed by the other direction
        }
    }

    @Override
    public void close() {
        close(server);
    }

    private static void close(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
