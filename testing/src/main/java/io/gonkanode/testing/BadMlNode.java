package io.gonkanode.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ML node gone wrong, on a raw socket so it can misbehave below HTTP: it accepts connections and never
 * answers, answers bytes that are not HTTP, answers JSON that is not JSON, breaks off a stream after a
 * few events, or redirects elsewhere. One instance listens on two ports (management and inference) on
 * 127.0.0.1 and counts every connection, so it also serves as a trap that must never be contacted.
 */
public final class BadMlNode implements AutoCloseable {

    public enum Mode {
        /** Reads the request, never writes a byte, keeps the connection open. */
        SILENT,
        /** Answers bytes that are not an HTTP response, then closes. */
        GARBAGE_BYTES,
        /** Answers 200 application/json with a body that is not JSON. */
        GARBAGE_JSON,
        /** Answers 200 text/event-stream, sends two events, then resets the connection. */
        DROP_MID_STREAM,
        /** Answers 200 application/json declaring 4,096 bytes, sends 40 of them, then resets the connection. */
        SHORT_BODY,
        /** Answers 307 to {@link #redirectTo(String)}. */
        REDIRECT,
        /** Answers 200 application/json declaring 4,096 bytes and sends one every 200 ms, never silent, never done. */
        TRICKLE,
        /** Not bad at all, only fast: a 200 SSE stream of events back to back that ends only when the peer goes. */
        FLOOD
    }

    private final ServerSocket management;
    private final ServerSocket inference;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bad-ml-node");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private volatile Mode mode;
    private volatile String redirectTo = "http://127.0.0.1:1/";
    private volatile boolean closed;

    public BadMlNode(Mode mode) {
        this.mode = mode;
        try {
            management = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            inference = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.submit(() -> acceptLoop(management));
        threads.submit(() -> acceptLoop(inference));
    }

    public int managementPort() {
        return management.getLocalPort();
    }

    public int inferencePort() {
        return inference.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + managementPort();
    }

    public BadMlNode mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    public BadMlNode redirectTo(String url) {
        this.redirectTo = url;
        return this;
    }

    /** Connections accepted on either port so far. */
    public int connections() {
        return connections.get();
    }

    /** The request lines read so far ("GET /api/v1/state HTTP/1.1"). */
    public List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** Connections currently held open (a SILENT node holds every one it accepted). */
    public int openConnections() {
        open.removeIf(Socket::isClosed);
        return open.size();
    }

    private void acceptLoop(ServerSocket server) {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                threads.submit(() -> serve(s));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (!closed) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                requestLines.add(head.lines().findFirst().orElse(""));
                drainBody(in, head);
                switch (mode) {
                    case SILENT -> {
                        while (!closed && in.read() >= 0) {
                            // hold the connection, say nothing
                        }
                        return;
                    }
                    case GARBAGE_BYTES -> {
                        out.write("\u0000\u00ffSSH-2.0-not-http\r\n\r\n{{{".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        return;
                    }
                    case GARBAGE_JSON -> {
                        byte[] body = "{\"state\": INFERENCE, <html>".getBytes(StandardCharsets.UTF_8);
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.flush();
                    }
                    case SHORT_BODY -> {
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write("{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion\",\"cho".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        s.setSoLinger(true, 0); // a crash halfway through the answer
                        return;
                    }
                    case DROP_MID_STREAM -> {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        for (int i = 0; i < 2; i++) {
                            byte[] event = ("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                                    + "\"delta\":{\"content\":\"t" + i + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8);
                            out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(event);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                        s.setSoLinger(true, 0); // close with a reset, as a crashed process does
                        return;
                    }
                    case FLOOD -> {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        byte[] event = ("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                                + "\"delta\":{\"content\":\"" + "t".repeat(200) + "\"}}]}\n\n").getBytes(StandardCharsets.UTF_8);
                        byte[] size = (Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                        while (!closed) {
                            out.write(size);
                            out.write(event);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        return;
                    }
                    case TRICKLE -> {
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        for (int i = 0; i < 4095 && !closed; i++) {
                            sleep(200);
                            out.write(' ');
                            out.flush();
                        }
                        return;
                    }
                    case REDIRECT -> {
                        out.write(("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + redirectTo
                                + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // the peer went away
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis); // the misbehaviour itself: a byte now and then
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("stopped");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > 65536) {
                return null;
            }
        }
        return null;
    }

    private static void drainBody(InputStream in, String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                long n = Long.parseLong(line.substring(15).trim());
                in.readNBytes((int) Math.min(n, Integer.MAX_VALUE));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            management.close();
            inference.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }
}
