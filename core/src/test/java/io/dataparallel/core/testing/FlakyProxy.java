package io.dataparallel.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of the test S3 server that answers the first
 * {@code failures} connections with HTTP 500 InternalError, which S3 asks clients to retry, and
 * forwards the rest byte for byte (so request signatures stay valid).
 */
public final class FlakyProxy implements AutoCloseable {
    private static final String BODY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
            + "<Message>We encountered an internal error. Please try again.</Message></Error>";
    private final ServerSocket server;
    private final URI upstream;
    private final AtomicInteger failuresLeft;
    private final AtomicInteger failed = new AtomicInteger();
    private final Thread acceptor;

    public FlakyProxy(URI upstream, int failures) throws IOException {
        this.upstream = upstream;
        this.failuresLeft = new AtomicInteger(failures);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "flaky-proxy");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Connections answered with 503 so far. */
    public int failed() {
        return failed.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (failuresLeft.getAndDecrement() > 0) {
                    failed.incrementAndGet();
                    daemon(() -> refuse(client));
                } else {
                    daemon(() -> forward(client));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void refuse(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            int state = 0;
            while (state < 4) { // read the request head, up to the blank line
                int b = in.read();
                if (b < 0) {
                    return;
                }
                state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
            }
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException ignored) {
            // the client gave up first
        }
    }

    private void forward(Socket client) {
        try {
            Socket target = new Socket(upstream.getHost(), upstream.getPort());
            daemon(() -> pipe(client, target));
            pipe(target, client);
        } catch (IOException e) {
            close(client);
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // either side closed
        } finally {
            close(from);
            close(to);
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
        Thread t = new Thread(r, "flaky-proxy-conn");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
