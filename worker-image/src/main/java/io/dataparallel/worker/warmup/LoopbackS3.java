package io.dataparallel.worker.warmup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dataparallel.core.concurrent.DaemonThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;

/**
 * The few S3 calls one rank and its summary make (path-style GET, HEAD, PUT with
 * {@code If-None-Match: *}, ListObjectsV2), answered from memory on a loopback port, for the
 * {@link TrainingRun} an image build runs. It is not a store: no auth, no paging, no multipart;
 * the real ones are S3 and, in tests, S3Proxy.
 */
final class LoopbackS3 implements AutoCloseable {
    private record Stored(byte[] body, String etag, Map<String, String> meta) {
    }

    private final Map<String, Stored> objects = new ConcurrentSkipListMap<>(); // "bucket/key", in S3's order
    private final HttpServer server;

    LoopbackS3() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, DaemonThreads.named("loopback-s3")));
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void put(String bucket, String key, byte[] body) {
        objects.put(bucket + "/" + key, new Stored(body, md5(body), Map.of()));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = URLDecoder.decode(ex.getRequestURI().getRawPath(), StandardCharsets.UTF_8).substring(1);
            String query = ex.getRequestURI().getRawQuery();
            int slash = path.indexOf('/');
            if (slash < 0 || slash == path.length() - 1) { // the bucket itself: a listing
                list(ex, slash < 0 ? path : path.substring(0, slash), query == null ? Map.of() : params(query));
                return;
            }
            switch (ex.getRequestMethod()) {
                case "PUT" -> put(ex, path);
                case "GET", "HEAD" -> get(ex, path);
                case "DELETE" -> {
                    objects.remove(path);
                    ex.sendResponseHeaders(204, -1);
                }
                default -> error(ex, 501, "NotImplemented");
            }
        }
    }

    private void put(HttpExchange ex, String path) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String sha = ex.getRequestHeaders().getFirst("x-amz-content-sha256");
        if (sha != null && sha.startsWith("STREAMING-")) {
            body = dechunk(body); // the SDK signs a PUT over plain HTTP chunk by chunk
        }
        if ("*".equals(ex.getRequestHeaders().getFirst("If-None-Match")) && objects.containsKey(path)) {
            error(ex, 412, "PreconditionFailed");
            return;
        }
        Map<String, String> meta = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> {
            if (k.toLowerCase().startsWith("x-amz-meta-")) {
                meta.put(k.toLowerCase(), v.get(0));
            }
        });
        Stored s = new Stored(body, md5(body), meta);
        objects.put(path, s);
        ex.getResponseHeaders().add("ETag", "\"" + s.etag() + "\"");
        ex.sendResponseHeaders(200, -1);
    }

    private void get(HttpExchange ex, String path) throws IOException {
        Stored s = objects.get(path);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        if (s == null) {
            if (head) {
                ex.sendResponseHeaders(404, -1);
            } else {
                error(ex, 404, "NoSuchKey");
            }
            return;
        }
        ex.getResponseHeaders().add("ETag", "\"" + s.etag() + "\"");
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        s.meta().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        if (head) {
            ex.getResponseHeaders().add("Content-Length", Integer.toString(s.body().length));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, s.body().length == 0 ? -1 : s.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(s.body());
        }
    }

    private void list(HttpExchange ex, String bucket, Map<String, String> params) throws IOException {
        String prefix = bucket + "/" + params.getOrDefault("prefix", "");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + bucket + "</Name>");
        int count = 0;
        for (Map.Entry<String, Stored> e : objects.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                count++;
                xml.append("<Contents><Key>").append(escape(e.getKey().substring(bucket.length() + 1)))
                        .append("</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;")
                        .append(e.getValue().etag()).append("&quot;</ETag><Size>").append(e.getValue().body().length)
                        .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
            }
        }
        xml.append("<KeyCount>").append(count).append("</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>");
        send(ex, 200, xml.toString());
    }

    /** The payload of an {@code aws-chunked} body: {@code <hex size>;chunk-signature=...CRLF<bytes>CRLF}, until size 0. */
    private static byte[] dechunk(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length);
        int at = 0;
        while (at < body.length) {
            int eol = at;
            while (eol + 1 < body.length && !(body[eol] == '\r' && body[eol + 1] == '\n')) {
                eol++;
            }
            String header = new String(body, at, eol - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, eol + 2, size);
            at = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static void error(HttpExchange ex, int status, String code) throws IOException {
        send(ex, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message></Error>");
    }

    private static void send(HttpExchange ex, int status, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : List.of(query.split("&"))) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
