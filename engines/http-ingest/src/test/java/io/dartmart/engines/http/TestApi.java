package io.dartmart.engines.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A JSON API on a random local port: answers each request with what {@code answer} gives, and keeps the requests. */
final class TestApi implements AutoCloseable {
    /** A request as the server saw it, with when it arrived. */
    record Request(String method, URI uri, Headers headers, String body, long nanos) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** The answer to one request. */
    record Answer(int status, String body, List<String> headers) {
        static Answer ok(String body, String... headers) {
            return new Answer(200, body, List.of(headers));
        }
    }

    @FunctionalInterface
    interface Handler {
        Answer answer(Request request, int index) throws Exception;
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    TestApi(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> handle(exchange, handler));
        server.start();
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestHeaders(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), System.nanoTime());
            requests.add(r);
            Answer a;
            try {
                a = handler.answer(r, requests.size() - 1);
            } catch (Exception e) {
                a = new Answer(500, "{\"test handler failed\": \"" + e + "\"}", List.of());
            }
            for (String h : a.headers()) {
                String[] kv = h.split(": ", 2);
                exchange.getResponseHeaders().add(kv[0], kv[1]);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The URL of {@code path} on this server. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** A query parameter of a request; null when absent. */
    static String param(Request r, String name) {
        String q = r.uri().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String p : q.split("&")) {
            String[] kv = p.split("=", 2);
            if (kv[0].equals(name)) {
                return kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
