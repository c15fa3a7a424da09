package dev.bulwark.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * JSON over HTTP to one remote service, with {@link HttpClient}: one attempt per call, no policy of its own. The
 * resilience policies wrap calls to it from outside (see {@link RemotePolicies}); this class only turns answers
 * into values or a {@link RemoteServiceException}, and reports every attempt as a {@link CallSample}.
 *
 * <pre>{@code
 * ServiceClient payments = new ServiceClient("payment-service", uri, httpClient, Duration.ofSeconds(2), sample -> {});
 * Charge charge = payments.post("charge", "/charges", "fulfil-42/charge-payment", request, Charge.class);
 * }</pre>
 */
public final class ServiceClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Consumer<? super CallSample> samples;

    /**
     * A client of the service at {@code base}.
     *
     * @param requestTimeout the HTTP client's own limit per request: a safety net behind the {@code Timeout} policy
     * @param samples receives every attempt, on the calling thread; must be quick
     */
    public ServiceClient(String service, URI base, HttpClient http, Duration requestTimeout,
            Consumer<? super CallSample> samples) {
        this.service = Objects.requireNonNull(service, "service");
        this.base = Objects.requireNonNull(base, "base");
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.samples = Objects.requireNonNull(samples, "samples");
    }

    /** The mapper both sides of the wire use (records in, records out). Thread-safe. */
    static ObjectMapper defaultMapper() {
        return JSON;
    }

    /**
     * Posts {@code body} as JSON with the idempotency key, and reads the answer as {@code type}.
     *
     * @param operation names the call in samples, such as {@code "charge"}
     * @throws RemoteServiceException for a non-2xx answer, no answer, or an interrupt (the thread stays interrupted)
     */
    public <T> T post(String operation, String path, String idempotencyKey, Object body, Class<T> type) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header(JsonHttpServer.IDEMPOTENCY_KEY, Objects.requireNonNull(idempotencyKey, "idempotencyKey"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(write(body)))
                .build();
        return exchange(operation, request, type);
    }

    /** Gets {@code path} and reads the answer as {@code type}; see {@link #post}. */
    public <T> T get(String operation, String path, Class<T> type) {
        return exchange(operation, HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET().build(),
                type);
    }

    @Override
    public String toString() {
        return service + " at " + base;
    }

    private <T> T exchange(String operation, HttpRequest request, Class<T> type) {
        String what = request.method() + " " + request.uri().getPath();
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            record(operation, start, CallSample.Result.TIMED_OUT);
            throw new RemoteServiceException(service, 0, service + " did not answer " + what + " in time", e);
        } catch (IOException e) {
            record(operation, start, CallSample.Result.FAILED);
            throw new RemoteServiceException(service, 0, service + " did not answer " + what + ": " + e, e);
        } catch (InterruptedException e) {
            // A Timeout policy running this call on its executor interrupts it when the time is up.
            Thread.currentThread().interrupt();
            record(operation, start, CallSample.Result.TIMED_OUT);
            throw new RemoteServiceException(service, 0, what + " to " + service + " was interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            record(operation, start, status < 500 ? CallSample.Result.REFUSED : CallSample.Result.FAILED);
            throw new RemoteServiceException(service, status, service + " answered " + status + " to " + what + ": "
                    + new String(response.body(), StandardCharsets.UTF_8), null);
        }
        record(operation, start, CallSample.Result.SUCCEEDED);
        try {
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new RemoteServiceException(service, status, service + " answered " + what + " with an unreadable "
                    + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private void record(String operation, long start, CallSample.Result result) {
        samples.accept(new CallSample(service, operation, start, System.nanoTime() - start, result));
    }

    private static byte[] write(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body + " as JSON", e);
        }
    }
}
