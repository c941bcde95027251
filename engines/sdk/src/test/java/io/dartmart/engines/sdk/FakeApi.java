package io.dartmart.engines.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in for the dart API in unit tests: a JDK HTTP server on a free port that records every request and answers
 * through a function the test sets. No dart code runs here; the tests check what the SDK sends and how it reacts.
 */
final class FakeApi implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request as the server saw it. */
    record Request(String method, String path, Map<String, String> query, String authorization, String contentType,
                   String body) {
        JsonNode json() {
            try {
                return body == null || body.isEmpty() ? null : MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    /** An answer: a status and a body (null for none). */
    record Answer(int status, String body) {
        static Answer ok(String json) {
            return new Answer(200, json);
        }

        static Answer results(String resultsJson) {
            return new Answer(200, "{\"results\": " + resultsJson + "}");
        }

        static Answer error(int status, String message) {
            return new Answer(status, "{\"results\": \"ERROR\", \"error_message\": \"" + message + "\"}");
        }

        static Answer noContent() {
            return new Answer(204, null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Released when the fake closes, so that answers holding a poll open end. */
    final CountDownLatch closing = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Function<Request, Answer> routes = r -> Answer.error(404, "no route in the fake");

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void routes(Function<Request, Answer> routes) {
        this.routes = routes;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String pathSuffix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    query(ex.getRequestURI().getRawQuery()), ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Content-Type"), body);
            requests.add(r);
            Answer a;
            try {
                a = routes.apply(r);
            } catch (RuntimeException e) {
                a = Answer.error(500, "the fake failed: " + e);
            }
            if (a.body() == null) {
                ex.sendResponseHeaders(a.status(), -1);
                return;
            }
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(a.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Holds a poll open like the server does, up to {@code millis} or until the fake closes. */
    Answer holdThenNoContent(long millis) {
        try {
            closing.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Answer.noContent();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closing.countDown();
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
