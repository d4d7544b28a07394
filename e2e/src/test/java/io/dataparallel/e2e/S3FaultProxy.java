package io.dataparallel.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback proxy in front of the S3 endpoint that injects the faults a real store and
 * network give: 503 bursts, {@code SlowDown} throttling, a connection reset mid-body, a
 * truncated body and a response that stalls past the client's timeout. It forwards bytes untouched (so SigV4 signatures stay valid) except for the
 * {@code Connection} header, which it sets to {@code close}: one request per connection keeps
 * the proxy a byte pipe that never has to find where one request ends.
 */
final class S3FaultProxy implements AutoCloseable {
    /** A fault and how a request meets it. */
    enum Fault {
        /** 503 Service Unavailable with S3's error body; the client retries. */
        UNAVAILABLE,
        /** 503 SlowDown: S3's throttling answer. */
        SLOW_DOWN,
        /** The response's headers and half its body, then a TCP reset. */
        RESET_MID_BODY,
        /** The response's headers and half its body, then a clean close: a body shorter than its Content-Length. */
        TRUNCATED,
        /**
         * The response's headers and half its body, then nothing, the connection held open: a stalled store
         * that only the client's socket timeout ({@code S3Clients}) gets out of.
         */
        STALL
    }

    /**
     * Requests with {@code method} whose decoded path and query contain {@code pathContains} meet {@code fault},
     * the first {@code times} of them ({@code -1}: every one).
     */
    record Rule(String method, String pathContains, Fault fault, int times, AtomicInteger injected) {
        Rule(String method, String pathContains, Fault fault, int times) {
            this(method, pathContains, fault, times, new AtomicInteger());
        }

        boolean take(String m, String path) {
            if (!method.equals(m) || !path.contains(pathContains)) {
                return false;
            }
            int n = injected.incrementAndGet();
            if (times >= 0 && n > times) {
                injected.decrementAndGet();
                return false;
            }
            return true;
        }
    }

    /** How long a stalled response holds its connection: past any client timeout. */
    private static final long STALL_MS = 180_000;

    private final URI backend;
    private final ServerSocket server;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    S3FaultProxy(URI backend) throws IOException {
        this.backend = backend;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "s3-fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The endpoint a job's {@code spec.s3.endpoint} names to go through the proxy. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    Rule add(String method, String pathContains, Fault fault, int times) {
        Rule rule = new Rule(method, pathContains, fault, times);
        rules.add(rule);
        return rule;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "s3-fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    sleep(10);
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
            String method = requestLine[0];
            // the decoded path and query: a listing is GET /bucket?list-type=2&prefix=...
            String path = URLDecoder.decode(requestLine.length > 1 ? requestLine[1] : "/", StandardCharsets.UTF_8);
            Fault fault = null;
            for (Rule r : rules) {
                if (r.take(method, path)) {
                    fault = r.fault();
                    break;
                }
            }
            if (fault == Fault.UNAVAILABLE || fault == Fault.SLOW_DOWN) {
                error(client.getOutputStream(), fault == Fault.SLOW_DOWN ? "SlowDown" : "ServiceUnavailable",
                        fault == Fault.SLOW_DOWN ? "Please reduce your request rate." : "Service is unable to handle request.");
                return;
            }
            try (Socket store = new Socket()) {
                store.connect(new InetSocketAddress(backend.getHost(), backend.getPort()), 10_000);
                OutputStream toStore = store.getOutputStream();
                toStore.write(closeConnection(text).getBytes(StandardCharsets.ISO_8859_1));
                toStore.flush();
                Thread upload = new Thread(() -> pipe(in, toStore), "s3-fault-proxy-up");
                upload.setDaemon(true);
                upload.start();
                if (fault == null) {
                    pipe(store.getInputStream(), client.getOutputStream());
                } else {
                    cut(store.getInputStream(), client, fault == Fault.RESET_MID_BODY);
                    if (fault == Fault.STALL) {
                        sleep(STALL_MS); // the client gives up long before; this thread is a daemon
                    }
                }
            }
        } catch (IOException e) {
            // the client or the store went away: nothing to forward
        }
    }

    /** Forwards the response's headers and half its body, then resets or closes the connection. */
    private static void cut(InputStream fromStore, Socket client, boolean reset) throws IOException {
        byte[] head = readHead(fromStore);
        if (head == null) {
            return;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        long length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        OutputStream out = client.getOutputStream();
        out.write(head);
        byte[] buffer = new byte[8192];
        long left = length / 2;
        while (left > 0) {
            int n = fromStore.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        out.flush();
        if (reset) {
            client.setSoLinger(true, 0); // close() now sends RST
        }
    }

    private static void error(OutputStream out, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 503 " + (code.equals("SlowDown") ? "Slow Down" : "Service Unavailable") + "\r\nContent-Type: application/xml\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The request head with {@code Connection: close} in place of any Connection header. */
    private static String closeConnection(String head) {
        StringBuilder b = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.isEmpty() && !line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                b.append(line).append("\r\n");
            }
        }
        return b.append("Connection: close\r\n\r\n").toString();
    }

    /** Bytes up to and including the blank line that ends an HTTP head; null at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : b == '\r' ? 1 : 0;
            if (head.size() > 65_536) {
                throw new IOException("HTTP head over 64 KiB");
            }
        }
        return head.toByteArray();
    }

    private static void pipe(InputStream in, OutputStream out) {
        byte[] buffer = new byte[65_536];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: the other learns it when its own socket closes
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
