package io.dataparallel.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The little HTTP/1.1 a byte-forwarding proxy needs: heads, their headers, S3 error answers. */
final class HttpHeads {
    private HttpHeads() {
    }

    /**
     * The AWS SDK sends PUT bodies after a {@code 100 Continue}, or after waiting 3 s for none: a fault that does
     * not pass on the store's answers gives the client its own, as a proxy may.
     */
    static void continueIfExpected(String head, Socket client) throws IOException {
        if (expectsContinue(head)) {
            client.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().flush();
        }
    }

    static boolean expectsContinue(String head) {
        return header(head, "expect").equalsIgnoreCase("100-continue");
    }

    /** The head's Content-Length; -1 when it has none. */
    static long contentLength(String head) {
        String value = header(head, "content-length");
        return value.isEmpty() ? -1 : Long.parseLong(value);
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "";
    }

    /** Copies {@code count} bytes (fewer when the stream ends first). */
    static void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[8192];
        for (long left = count; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                return;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    static void error(OutputStream out, String status, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/xml\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The request head with {@code Connection: close} in place of any Connection header. */
    static String closeConnection(String head) {
        StringBuilder b = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.isEmpty() && !line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                b.append(line).append("\r\n");
            }
        }
        return b.append("Connection: close\r\n\r\n").toString();
    }

    /** Bytes up to and including the blank line that ends an HTTP head; null at end of stream. */
    static byte[] readHead(InputStream in) throws IOException {
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

}
