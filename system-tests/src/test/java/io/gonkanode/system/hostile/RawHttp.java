package io.gonkanode.system.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a bare socket, one request per connection: the path goes out byte for byte (malformed
 * escapes, dot segments, control characters), headers are exactly the given ones, and a response that
 * does not come within the timeout is reported as a hang instead of waiting forever.
 */
final class RawHttp {

    /** A response; {@code status} is -1 when the server closed without answering, -2 on a hang. */
    record Response(int status, Map<String, String> headers, byte[] body, long millis) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean hung() {
            return status == -2;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code total} bytes of spaces as a chunked body (no Content-Length for the server to check up front). */
    static Response sendChunked(int port, String method, String rawTarget, Map<String, String> headers, long total, int timeoutMillis) {
        return exchange(port, method, rawTarget, headers, "Transfer-Encoding: chunked\r\n", out -> {
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(size);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }, timeoutMillis);
    }

    static Response send(int port, String method, String rawTarget, Map<String, String> headers, byte[] body, int timeoutMillis) {
        return exchange(port, method, rawTarget, headers, body == null ? "" : "Content-Length: " + body.length + "\r\n", out -> {
            if (body != null) {
                out.write(body);
            }
        }, timeoutMillis);
    }

    /** Writes a request body. */
    @FunctionalInterface
    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    /**
     * One request on its own connection: the head with exactly the given headers (plus Host, Connection:
     * close and the body's {@code framing} header), then the body, then whatever the server answers.
     */
    private static Response exchange(int port, String method, String rawTarget, Map<String, String> headers, String framing,
                                     Body body, int timeoutMillis) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(rawTarget).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            head.append("Connection: close\r\n");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            head.append(framing).append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                body.write(out);
                out.flush();
            } catch (IOException e) {
                // the server may answer (413) and close before the whole body is written; read what it said
            }
            return read(s.getInputStream(), start);
        } catch (SocketTimeoutException e) {
            return new Response(-2, Map.of(), new byte[0], elapsed(start));
        } catch (IOException e) {
            return new Response(-1, Map.of(), e.toString().getBytes(StandardCharsets.UTF_8), elapsed(start));
        }
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Response read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException) {
                throw e;
            }
            // a reset after the response was sent still leaves the response readable
        }
        byte[] bytes = all.toByteArray();
        int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headEnd < 0) {
            return new Response(-1, Map.of(), bytes, elapsed(start));
        }
        String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body, elapsed(start));
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(raw, i, raw.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(raw, i, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;
            }
            i += lineEnd + 2;
            if (size == 0 || i + size > raw.length) {
                break;
            }
            out.write(raw, i, size);
            i += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
