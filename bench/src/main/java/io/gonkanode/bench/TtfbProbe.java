package io.gonkanode.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Time to first byte of an answer: {@code connections} threads, each on its own keep-alive connection
 * (as SDK clients hold them), sending one request every {@code intervalMillis} and reading the answer
 * whole, until {@code count} answers were read. The clock runs from the request's last byte written to the
 * answer's first byte read. Prints p50 p90 p99 in µs and the number of failed requests.
 *
 * The first {@code warmup} answers are not counted: the probe's own code is still being compiled then.
 *
 * <pre>TtfbProbe port path json-body count connections interval-ms [warmup ["Header: value" ...]]</pre>
 */
public final class TtfbProbe {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        byte[] body = args[2].getBytes(StandardCharsets.UTF_8);
        int count = Integer.parseInt(args[3]);
        int connections = Integer.parseInt(args[4]);
        long interval = Long.parseLong(args[5]);
        int warmup = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        StringBuilder extra = new StringBuilder(); // what a gateway needs besides the body (Portkey: its provider and host)
        for (int i = 7; i < args.length; i++) {
            extra.append(args[i]).append("\r\n");
        }
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n" + extra
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger left = new AtomicInteger(count + warmup);
        AtomicInteger skip = new AtomicInteger(warmup);
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                Socket s = null;
                while (left.getAndDecrement() > 0) {
                    long next = System.nanoTime() + interval * 1_000_000;
                    try {
                        if (s == null) {
                            s = new Socket();
                            s.setTcpNoDelay(true);
                            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                            s.setSoTimeout(10_000);
                        }
                        OutputStream out = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        out.write(request);
                        out.flush();
                        long sent = System.nanoTime();
                        int n = in.read(buf);
                        long first = System.nanoTime();
                        if (n <= 0 || !new String(buf, 0, Math.min(n, 12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) {
                            throw new java.io.IOException("not a 200");
                        }
                        readRest(in, buf, n);
                        if (skip.getAndDecrement() <= 0) {
                            micros.add((first - sent) / 1000);
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        close(s);
                        s = null;
                    }
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                close(s);
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.println(pct(sorted, 0.5) + " " + pct(sorted, 0.9) + " " + pct(sorted, 0.99) + " " + failures.get());
    }

    /**
     * Reads the rest of one HTTP/1.1 response whose first {@code n} bytes are in {@code buf}: up to its
     * Content-Length, or to the last chunk when chunked, so the connection can carry the next request.
     */
    static void readRest(InputStream in, byte[] buf, int n) throws java.io.IOException {
        java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
        seen.write(buf, 0, n);
        int headEnd;
        while ((headEnd = indexOf(seen.toByteArray(), "\r\n\r\n")) < 0) {
            int r = in.read(buf);
            if (r < 0) {
                throw new java.io.EOFException("closed in the headers");
            }
            seen.write(buf, 0, r);
        }
        String headers = new String(seen.toByteArray(), 0, headEnd, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(headers);
        long have = seen.size() - headEnd - 4;
        if (m.find()) {
            long want = Long.parseLong(m.group(1));
            while (have < want) {
                int r = in.read(buf);
                if (r < 0) {
                    throw new java.io.EOFException("closed in the body");
                }
                have += r;
            }
            return;
        }
        // chunked: until the zero-length last chunk
        byte[] all = seen.toByteArray();
        byte[] tail = java.util.Arrays.copyOfRange(all, headEnd + 2, all.length);
        while (!endsWith(tail, "\r\n0\r\n\r\n")) {
            int r = in.read(buf);
            if (r < 0) {
                throw new java.io.EOFException("closed in the chunks");
            }
            byte[] next = new byte[Math.min(tail.length, 16) + r];
            System.arraycopy(tail, tail.length - Math.min(tail.length, 16), next, 0, Math.min(tail.length, 16));
            System.arraycopy(buf, 0, next, Math.min(tail.length, 16), r);
            tail = next;
        }
    }

    static int indexOf(byte[] data, String what) {
        byte[] w = what.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + w.length <= data.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (data[i + j] != w[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean endsWith(byte[] data, String what) {
        byte[] w = what.getBytes(StandardCharsets.US_ASCII);
        if (data.length < w.length) {
            return false;
        }
        for (int j = 0; j < w.length; j++) {
            if (data[data.length - w.length + j] != w[j]) {
                return false;
            }
        }
        return true;
    }

    static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (java.io.IOException e) {
                // closing anyway
            }
        }
    }

    static long pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
