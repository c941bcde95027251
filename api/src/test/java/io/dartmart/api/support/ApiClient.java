package io.dartmart.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain HTTP client for the API tests, deliberately not Micronaut's: it sends exactly the bytes a test gives it,
 * as any client would. Every exchange is checked against openapi.yaml, so a route that drifts from the contract
 * fails the test that used it.
 */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String authorization;

    private ApiClient(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public static ApiClient basic(URI base, String key, String secret) {
        return new ApiClient(base, "Basic " + Base64.getEncoder()
                .encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }

    public static ApiClient bearer(URI base, String key, String secret) {
        return new ApiClient(base, "Bearer " + key + ":" + secret);
    }

    public static ApiClient anonymous(URI base) {
        return new ApiClient(base, null);
    }

    /** The same server with {@code header} sent as the Authorization header, as is. */
    public ApiClient withAuthorization(String header) {
        return new ApiClient(base, header);
    }

    public ApiClient withKey(JsonNode createdKey) {
        return basic(base, createdKey.path("data").path("key").asText(), createdKey.path("data").path("secret").asText());
    }

    public Exchange get(String path) {
        return send("GET", path, null, "application/json");
    }

    public Exchange get(String path, Map<String, String> query) {
        return send("GET", path + toQuery(query), null, "application/json");
    }

    public Exchange post(String path, Object body) {
        return send("POST", path, body, "application/json");
    }

    public Exchange put(String path, Object body) {
        return send("PUT", path, body, "application/json");
    }

    public Exchange patch(String path, Object body) {
        return send("PATCH", path, body, "application/json");
    }

    public Exchange delete(String path) {
        return send("DELETE", path, null, "application/json");
    }

    /** {@code body} is sent as is when a String, else written as JSON. */
    public Exchange send(String method, String path, Object body, String contentType) {
        String text = body == null ? null : body instanceof String s ? s : Json.write(Json.MAPPER.valueToTree(body));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(text));
        Map<String, String> headers = new LinkedHashMap<>();
        if (text != null) {
            headers.put("Content-Type", contentType);
        }
        headers.put("Accept", "application/json");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String ct = r.headers().firstValue("Content-Type").orElse(null);
            JsonNode json = null;
            if (ct != null && ct.startsWith("application/json") && !r.body().isEmpty()) {
                json = Json.parseTrusted(r.body());
            }
            URI uri = r.uri();
            Exchange ex = new Exchange(method, uri.getRawPath(), parseQuery(uri.getRawQuery()), headers, text,
                    r.statusCode(), ct, r.body(), json);
            Contract.check(ex);
            return ex;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String toQuery(Map<String, String> query) {
        StringBuilder sb = new StringBuilder();
        query.forEach((k, v) -> sb.append(sb.length() == 0 ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
