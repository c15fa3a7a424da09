package dev.bulwark.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JSON-over-HTTP server on the loopback interface (the JDK's {@link HttpServer}, an ephemeral port) that
 * misbehaves on purpose: every {@code POST} route first suffers the current {@link Faults}, drawn from a seeded
 * random source. {@code GET} routes answer at once, for the auditor.
 *
 * <p>Threads: requests run on a pool this server creates in its constructor and shuts down in {@link #close()}.
 */
final class JsonHttpServer implements AutoCloseable {
    /** The request header that carries the idempotency key, as in the common REST convention. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpServer.class);

    /** Handles a {@code POST}; runs only when the faults let the request through. */
    @FunctionalInterface
    interface Handler {
        Reply handle(String idempotencyKey, byte[] body) throws Exception;
    }

    /** An answer: a status and a body that is written as JSON. */
    record Reply(int status, Object body) {
        static Reply error(int status, String message) {
            return new Reply(status, Map.of("error", message));
        }
    }

    private final String name;
    private final ObjectMapper json;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Random random;
    private volatile Faults faults;
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    /** Guarded by {@link #idleLock}. */
    private int inFlight;

    /**
     * Binds the server to an ephemeral loopback port and starts it.
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    JsonHttpServer(String name, ObjectMapper json, long seed, Faults faults) {
        this.name = Objects.requireNonNull(name, "name");
        this.json = Objects.requireNonNull(json, "json");
        this.random = new Random(seed);
        this.faults = Objects.requireNonNull(faults, "faults");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + name + " to a loopback port", e);
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = task -> new Thread(task, name + "-http-" + threads.incrementAndGet());
        pool = Executors.newCachedThreadPool(factory);
        server.setExecutor(pool);
        server.start();
    }

    /** Routes {@code POST path} to {@code handler}, behind the faults; the request must carry an idempotency key. */
    void post(String path, Handler handler) {
        server.createContext(path, exchange -> serve(exchange, path, "POST", () -> {
            String key = exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
            if (key == null || key.isBlank()) {
                return Reply.error(400, "the " + IDEMPOTENCY_KEY + " header is required");
            }
            return suffer(key, readBody(exchange), handler);
        }));
    }

    /** Routes {@code GET path} to {@code body}, without faults. */
    void get(String path, Supplier<Object> body) {
        server.createContext(path, exchange -> serve(exchange, path, "GET", () -> new Reply(200, body.get())));
    }

    /** Where the server listens, such as {@code http://127.0.0.1:41234}. */
    URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    Faults faults() {
        return faults;
    }

    void faults(Faults faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /**
     * Waits until no request is being served (requests whose client gave up may still be on their way to their
     * effect); returns false if that did not happen within {@code timeout}.
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        idleLock.lock();
        try {
            while (inFlight > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    /** Stops listening, lets requests in progress finish (up to a few seconds), and ends the request threads. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " at " + uri();
    }

    private Reply suffer(String key, byte[] body, Handler handler) throws Exception {
        Faults now = faults;
        // java.util.Random is thread-safe; the draws are seeded, their order follows the order requests arrive.
        long spread = now.maxLatency().toNanos() - now.minLatency().toNanos();
        long latencyNanos = now.minLatency().toNanos() + (long) (random.nextDouble() * spread);
        double roll = random.nextDouble();
        TimeUnit.NANOSECONDS.sleep(latencyNanos);
        if (roll < now.failureRate()) {
            return Reply.error(503, name + " is unavailable (injected failure)");
        }
        Reply reply = handler.handle(key, body);
        if (roll < now.failureRate() + now.lostResponseRate()) {
            return Reply.error(500, name + " did the work but lost the response (injected failure)");
        }
        return reply;
    }

    private void serve(HttpExchange exchange, String path, String method, Answer answer) throws IOException {
        enter();
        try (exchange) {
            Reply reply;
            if (!exchange.getRequestURI().getPath().equals(path)) {
                reply = Reply.error(404, "no such resource: " + exchange.getRequestURI().getPath());
            } else if (!exchange.getRequestMethod().equals(method)) {
                reply = Reply.error(405, "use " + method + " for " + path);
            } else {
                reply = answer(answer, path);
            }
            byte[] bytes = json.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client hung up (it timed out): the effect, if any, has happened; nobody is listening.
            LOG.debug("{}: could not answer {} {}: {}", name, method, path, e.toString());
        } finally {
            leave();
        }
    }

    private Reply answer(Answer answer, String path) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(503, name + " is shutting down");
        } catch (Exception e) {
            LOG.warn("{}: {} failed", name, path, e);
            return Reply.error(500, name + " failed: " + e);
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private void enter() {
        idleLock.lock();
        try {
            inFlight++;
        } finally {
            idleLock.unlock();
        }
    }

    private void leave() {
        idleLock.lock();
        try {
            if (--inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            idleLock.unlock();
        }
    }

    @FunctionalInterface
    private interface Answer {
        Reply get() throws Exception;
    }
}
