package io.dataparallel.core.testing;

import io.dataparallel.core.concurrent.DaemonThreads;
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
 * truncated body and a response that stalls past the client's timeout; and, to hold a worker at
 * an exact point until a test kills it, a download that never ends, an upload the store gets half
 * of, and a write the store completes but never acknowledges; and a bucket policy's 403. It
 * can also cap the store's bandwidth ({@link #throttle}). It forwards bytes untouched (so SigV4 signatures stay valid) except for the
 * {@code Connection} header, which it sets to {@code close}: one request per connection keeps
 * the proxy a byte pipe that never has to find where one request ends.
 */
public final class S3FaultProxy implements AutoCloseable {
    /** A fault and how a request meets it. */
    public enum Fault {
        /** 500 InternalError with S3's error body, which S3 asks clients to retry. */
        INTERNAL_ERROR,
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
        STALL,
        /**
         * The response's headers and half its body, then one more byte every few seconds, sooner than the client's
         * socket timeout: a download that neither ends nor times out. It holds the reader mid-download until it
         * goes away.
         */
        TRICKLE,
        /**
         * The request's headers and half its body go to the store, then nothing more: the store never receives a
         * complete object and the client no answer. Held until the client goes away (killed, or at its socket
         * timeout); then the store's connection is reset, so it drops the half-written object.
         */
        HALF_UPLOAD,
        /**
         * The request goes to the store whole and the store's answer is read but never passed on: the object is
         * written, the client is not told. Held until the client goes away.
         */
        HOLD_RESPONSE,
        /**
         * 403 {@code AccessDenied} with S3's error body, the store not asked: what a bucket policy answers to a
         * request the credentials may not make. S3Proxy has one identity, so this is how a test models credentials
         * with fewer permissions.
         */
        ACCESS_DENIED
    }

    /**
     * Requests with {@code method} ({@link #ANY_METHOD}: any) whose decoded path and query contain {@code pathContains} meet {@code fault},
     * the first {@code times} of them ({@code -1}: every one). {@code injected} counts them as they arrive;
     * {@code holding}, the requests a holding fault (STALL, TRICKLE, HALF_UPLOAD, HOLD_RESPONSE) has brought to
     * its point and holds there now: what a test waits for before it acts.
     */
    public record Rule(String method, String pathContains, Fault fault, int times, AtomicInteger injected, AtomicInteger holding) {
        public Rule(String method, String pathContains, Fault fault, int times) {
            this(method, pathContains, fault, times, new AtomicInteger(), new AtomicInteger());
        }

        boolean take(String m, String path) {
            if (!(method.equals(ANY_METHOD) || method.equals(m)) || !path.contains(pathContains)) {
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

    /** A rule's method that matches every request. */
    public static final String ANY_METHOD = "*";
    /** How long a stalled response holds its connection: past any client timeout. */
    private static final long STALL_MS = 180_000;
    /** Between a trickled download's bytes: well within the client's 30 s socket timeout. */
    private static final long TRICKLE_MS = 5_000;

    private final URI backend;
    private final ServerSocket server;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;
    /** The store-to-client bandwidth all connections share; 0: unlimited. */
    private volatile double bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    public S3FaultProxy(URI backend) throws IOException {
        this(backend, InetAddress.getLoopbackAddress());
    }

    /** A proxy listening on {@code address}: one that pods in their own network namespaces reach (a bridge's). */
    public S3FaultProxy(URI backend, InetAddress address) throws IOException {
        this.backend = backend;
        this.server = new ServerSocket(0, 200, address);
        this.acceptor = DaemonThreads.start("s3-fault-proxy", this::accept);
    }

    /** The endpoint a job's {@code spec.s3.endpoint} names to go through the proxy. */
    public URI endpoint() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
    }

    /**
     * Limits what flows from the store to the clients to {@code bytesPerSecond}, shared by all
     * connections: S3 as seen from a worker on a slower network. Returns this proxy.
     */
    public S3FaultProxy throttle(double bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    public Rule add(String method, String pathContains, Fault fault, int times) {
        Rule rule = new Rule(method, pathContains, fault, times);
        rules.add(rule);
        return rule;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread t = DaemonThreads.start("s3-fault-proxy-conn", () -> serve(client));
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
            byte[] head = HttpHeads.readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
            String method = requestLine[0];
            // the decoded path and query: a listing is GET /bucket?list-type=2&prefix=...
            String path = URLDecoder.decode(requestLine.length > 1 ? requestLine[1] : "/", StandardCharsets.UTF_8);
            Rule rule = null;
            for (Rule r : rules) {
                if (r.take(method, path)) {
                    rule = r;
                    break;
                }
            }
            Fault fault = rule == null ? null : rule.fault();
            if (fault == Fault.INTERNAL_ERROR) {
                HttpHeads.error(client.getOutputStream(), "500 Internal Server Error", "InternalError",
                        "We encountered an internal error. Please try again.");
                return;
            }
            if (fault == Fault.UNAVAILABLE || fault == Fault.SLOW_DOWN) {
                HttpHeads.error(client.getOutputStream(), fault == Fault.SLOW_DOWN ? "503 Slow Down" : "503 Service Unavailable",
                        fault == Fault.SLOW_DOWN ? "SlowDown" : "ServiceUnavailable",
                        fault == Fault.SLOW_DOWN ? "Please reduce your request rate." : "Service is unable to handle request.");
                return;
            }
            if (fault == Fault.ACCESS_DENIED) {
                if (!HttpHeads.expectsContinue(text)) {
                    in.skipNBytes(Math.max(0, HttpHeads.contentLength(text))); // read the body first, or the client sees a broken pipe
                }
                HttpHeads.error(client.getOutputStream(), "403 Forbidden", "AccessDenied", "Access Denied");
                return;
            }
            try (Socket store = new Socket()) {
                store.connect(new InetSocketAddress(backend.getHost(), backend.getPort()), 10_000);
                OutputStream toStore = store.getOutputStream();
                toStore.write(HttpHeads.closeConnection(text).getBytes(StandardCharsets.ISO_8859_1));
                toStore.flush();
                if (fault == Fault.HALF_UPLOAD) {
                    halfUpload(text, in, store, client, rule);
                    return;
                }
                // runs until the client goes away (after its request, nothing more comes): a holding fault waits on it
                Thread upload = DaemonThreads.start("s3-fault-proxy-up", () -> pipe(in, toStore, false));
                if (fault == null) {
                    pipe(store.getInputStream(), client.getOutputStream(), true);
                } else if (fault == Fault.HOLD_RESPONSE) {
                    holdResponse(text, store.getInputStream(), client, rule, upload);
                } else {
                    cut(store.getInputStream(), client, fault, rule, upload);
                }
            }
        } catch (IOException e) {
            // the client or the store went away: nothing to forward
        }
    }

    /**
     * Forwards the response's headers and half its body, then resets or closes the connection
     * (RESET_MID_BODY, TRUNCATED), or holds it (STALL: silent; TRICKLE: a byte now and then) until the client goes away.
     */
    private static void cut(InputStream fromStore, Socket client, Fault fault, Rule rule, Thread clientUp) throws IOException {
        byte[] head = HttpHeads.readHead(fromStore);
        if (head == null) {
            return;
        }
        long length = HttpHeads.contentLength(new String(head, StandardCharsets.ISO_8859_1));
        OutputStream out = client.getOutputStream();
        out.write(head);
        HttpHeads.copy(fromStore, out, length / 2);
        out.flush();
        if (fault == Fault.RESET_MID_BODY) {
            client.setSoLinger(true, 0); // close() now sends RST
        } else if (fault == Fault.STALL) {
            hold(rule, clientUp); // the client's socket timeout ends it long before STALL_MS
        } else if (fault == Fault.TRICKLE) {
            // the rest read now, so the store's own timeouts cannot end the trickle
            byte[] rest = fromStore.readNBytes((int) Math.max(0, length - length / 2));
            rule.holding().incrementAndGet();
            try {
                for (int i = 0; i < rest.length && clientUp.isAlive(); i++) {
                    sleep(TRICKLE_MS);
                    out.write(rest[i]);
                    out.flush();
                }
            } finally {
                rule.holding().decrementAndGet();
            }
        }
    }

    /** Sends the request's head and half its body to the store, then holds until the client goes away and resets the store's connection. */
    private static void halfUpload(String head, InputStream fromClient, Socket store, Socket client, Rule rule) throws IOException {
        HttpHeads.continueIfExpected(head, client);
        OutputStream toStore = store.getOutputStream();
        HttpHeads.copy(fromClient, toStore, Math.max(0, HttpHeads.contentLength(head)) / 2);
        toStore.flush();
        rule.holding().incrementAndGet();
        try {
            client.setSoTimeout((int) STALL_MS);
            fromClient.transferTo(OutputStream.nullOutputStream()); // the rest of the body, then until the client closes
        } catch (IOException gone) {
            // reset by the client, or held for STALL_MS: either way the hold ends
        } finally {
            rule.holding().decrementAndGet();
            store.setSoLinger(true, 0); // a broken connection, not an early end of the body: the store drops the object
        }
    }

    /** Lets the store answer the whole request, and holds its answer until the client goes away. */
    private static void holdResponse(String head, InputStream fromStore, Socket client, Rule rule, Thread clientUp) throws IOException {
        HttpHeads.continueIfExpected(head, client);
        String answer;
        do { // the store's own "100 Continue" heads come before its answer
            byte[] h = HttpHeads.readHead(fromStore);
            if (h == null) {
                return;
            }
            answer = new String(h, StandardCharsets.ISO_8859_1);
        } while (answer.startsWith("HTTP/1.1 1"));
        fromStore.skipNBytes(Math.max(0, HttpHeads.contentLength(answer)));
        hold(rule, clientUp);
    }

    /** Counts the request as held until the client's side of the connection ends (or STALL_MS). */
    private static void hold(Rule rule, Thread clientUp) {
        rule.holding().incrementAndGet();
        try {
            clientUp.join(STALL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            rule.holding().decrementAndGet();
        }
    }

    /** Forwards until {@code in} ends; {@code toClient}: paced by {@link #throttle}. */
    private void pipe(InputStream in, OutputStream out, boolean toClient) {
        byte[] buffer = new byte[65_536];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (toClient) {
                    pace(n);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: the other learns it when its own socket closes
        }
    }

    /** One shared budget: every connection together gets {@link #bytesPerSecond}. */
    private void pace(int bytes) {
        double rate = bytesPerSecond;
        if (rate <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            nextFreeNanos = Math.max(nextFreeNanos, now) + (long) (bytes / rate * 1e9);
            wait = nextFreeNanos - now;
        }
        if (wait > 0) {
            sleep(wait / 1_000_000);
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
