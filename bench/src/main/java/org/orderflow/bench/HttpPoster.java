package org.orderflow.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator's HTTP/1.1 client: POSTs JSON over keep-alive connections, one blocking thread per connection,
 * with as many connections as the offered load needs (up to a limit). A request waits in a queue only while every
 * connection is busy and the limit is reached; the benchmark counts latency from each request's scheduled time, so
 * that wait is measured, not hidden.
 *
 * <p>Why not {@code java.net.http.HttpClient}: on the 2-core machine it shares with the system under test, it used
 * about a tenth of a core at 100 requests/s (its selector thread, executor hand-offs and per-request futures), CPU
 * taken from the services it measures. This client does one write and one read per request.
 */
final class HttpPoster implements AutoCloseable {
    /** What became of one request; called on the connection's thread. */
    interface Callback {
        void answered(int status, String body);

        void failed(Exception failure);
    }

    /** A keep-alive connection unused for longer than this is replaced: the server may be closing it just then. */
    private static final long IDLE_REUSE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final InetSocketAddress address;
    private final byte[] requestHead;
    private final int maxConnections;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger idleConnections = new AtomicInteger();
    private volatile boolean running = true;

    /** @param bearerToken sent with every request, as {@code Authorization: Bearer} */
    HttpPoster(URI target, int maxConnections, String bearerToken) {
        this.address = new InetSocketAddress(target.getHost(), target.getPort());
        this.requestHead = ("POST " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
                + "\r\nAuthorization: Bearer " + bearerToken
                + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
        this.maxConnections = maxConnections;
    }

    /** Queues the POST of {@code body}; returns at once. */
    void post(byte[] body, Callback callback) {
        queue.add(new Request(body, callback));
        if (queue.size() > idleConnections.get() && connections.get() < maxConnections) {
            openConnection();
        }
    }

    /** The connections opened so far (they stay open until {@link #close()}). */
    int connections() {
        return connections.get();
    }

    private void openConnection() {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            return;
        }
        Thread thread = new Thread(new Connection()::run, "bench-http-" + connections.get());
        thread.setDaemon(true); // the run ends when main ends, whatever requests are still open
        thread.start();
    }

    @Override
    public void close() {
        running = false;
    }

    private record Request(byte[] body, Callback callback) {
    }

    /** One keep-alive connection and the thread that uses it. */
    private final class Connection {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private long lastUsed;

        void run() {
            Runnable answer = null;
            try {
                while (running) {
                    idleConnections.incrementAndGet();
                    if (answer != null) {
                        answer.run(); // once idle again: a request the callback sends next finds this connection free
                        answer = null;
                    }
                    Request request;
                    try {
                        request = queue.poll(500, TimeUnit.MILLISECONDS);
                    } finally {
                        idleConnections.decrementAndGet();
                    }
                    if (request != null) {
                        answer = exchange(request);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                disconnect();
            }
        }

        /** Sends the request and reads its response; returns the call of its callback. */
        private Runnable exchange(Request request) {
            int status;
            String body;
            try {
                if (socket == null || System.nanoTime() - lastUsed > IDLE_REUSE_NANOS) {
                    connect();
                }
                out.write(requestHead);
                out.write((request.body().length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(request.body());
                out.flush();
                Response response = readResponse();
                status = response.status;
                body = response.body;
                if (response.closes) {
                    disconnect();
                }
                lastUsed = System.nanoTime();
            } catch (IOException | RuntimeException e) {
                disconnect(); // never reused after a failure: the next request gets a new connection
                return () -> request.callback().failed(e);
            }
            return () -> request.callback().answered(status, body);
        }

        private void connect() throws IOException {
            disconnect();
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            // Buffered: head, length and body leave in one write at flush(), one segment, not three (TCP_NODELAY).
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        }

        private void disconnect() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a connection we give up on: nothing to do about a failure
                }
                socket = null;
            }
        }

        /** Status line, headers, and a body framed by Content-Length or chunked transfer coding. */
        private Response readResponse() throws IOException {
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("Not an HTTP/1.1 response: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean closes = parts[0].equals("HTTP/1.0");
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closes = value.equalsIgnoreCase("close");
                    default -> {
                        // other headers do not frame the body
                    }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line().split(";", 2)[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) {
                    copy(size, body);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers: none expected, skipped
                }
            } else if (length >= 0) {
                copy(length, body);
            } else {
                in.transferTo(body); // no framing: the body ends with the connection
                closes = true;
            }
            return new Response(status, body.toString(StandardCharsets.UTF_8), closes);
        }

        private void copy(long length, ByteArrayOutputStream body) throws IOException {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length < length) {
                throw new EOFException("Connection closed inside a response body");
            }
            body.write(bytes);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("Connection closed inside a response");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }

    private record Response(int status, String body, boolean closes) {
    }
}
