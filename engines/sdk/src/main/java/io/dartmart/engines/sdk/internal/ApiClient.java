package io.dartmart.engines.sdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.engines.sdk.DartApiException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The engine protocol over one {@link HttpClient}: every call of the SDK goes through here. Answers are
 * {@code {"results": ...}}; error answers become {@link DartApiException}s carrying the server's
 * {@code error_message}; transport failures stay {@link IOException}s.
 */
public final class ApiClient {
    /** Where every route lives. */
    public static final String API_ROOT = "/api/1";
    private static final String JSON = "application/json";
    private static final String JSON_PATCH = "application/json-patch+json";
    private static final int MAX_ERROR_TEXT = 500;

    private final HttpClient http;
    private final URI server;
    private final String authorization;
    private final Duration requestTimeout;

    /**
     * @param apiUrl the server, with or without the {@code /api/1} root: {@code http://host:5000} or
     *               {@code http://host:5000/api/1}
     * @param apiKey {@code key:secret}, sent as {@code Authorization: Bearer key:secret}
     */
    public ApiClient(URI apiUrl, String apiKey, Duration connectTimeout, Duration requestTimeout) {
        this.server = serverOf(apiUrl);
        this.authorization = "Bearer " + checkKey(apiKey);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The server's root URI: scheme, authority and any path before {@code /api/1}, without a trailing slash. */
    public static URI serverOf(URI apiUrl) {
        if (apiUrl == null || apiUrl.getScheme() == null || apiUrl.getHost() == null
                || !(apiUrl.getScheme().equals("http") || apiUrl.getScheme().equals("https"))) {
            throw new IllegalArgumentException("the API URL must be an absolute http(s) URL such as "
                    + "http://localhost:5000, got " + apiUrl);
        }
        if (apiUrl.getRawQuery() != null || apiUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the API URL must have no query or fragment, got " + apiUrl);
        }
        String path = apiUrl.getRawPath() == null ? "" : apiUrl.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith(API_ROOT)) {
            path = path.substring(0, path.length() - API_ROOT.length());
        }
        return URI.create(apiUrl.getScheme() + "://" + apiUrl.getRawAuthority() + path);
    }

    /** Checks the shape of {@code key:secret} without ever putting the secret in a message. */
    public static String checkKey(String apiKey) {
        if (apiKey == null) {
            throw new IllegalArgumentException("the API key is missing; expected key:secret");
        }
        int colon = apiKey.indexOf(':');
        if (colon <= 0 || colon == apiKey.length() - 1 || !apiKey.matches("[A-Za-z0-9_-]+:[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("the API key must be key:secret, both of letters, digits, '-' and '_'");
        }
        return apiKey;
    }

    public URI server() {
        return server;
    }

    /** A status and the parsed JSON body (null when there was none). */
    public record Answer(int status, JsonNode body) {
        /** The {@code results} member of the body; null when absent. */
        public JsonNode results() {
            return body == null ? null : Json.orNull(body.get("results"));
        }
    }

    // ---- the routes the SDK uses

    /** {@code GET /engine?filters=["name = X"]}: the engine envelope of that name, if registered. */
    public Optional<JsonNode> findEngine(String name) throws IOException, InterruptedException {
        ArrayNode filters = Json.array().add("name = " + name);
        JsonNode results = call("GET", API_ROOT + "/engine?limit=10&filters=" + query(Json.write(filters)), null)
                .results();
        if (results != null) {
            for (JsonNode engine : results) {
                if (name.equals(engine.path("data").path("name").asText(null))) {
                    return Optional.of(engine);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code POST /engine}: answers the created envelope. */
    public JsonNode createEngine(JsonNode data) throws IOException, InterruptedException {
        return call("POST", API_ROOT + "/engine", wrap(data)).results();
    }

    /** {@code GET /engine/{id}/subgraph_definition}: the names of the engine's stored subgraph definitions. */
    public Set<String> subgraphDefinitionNames(String engineId) throws IOException, InterruptedException {
        Set<String> names = new HashSet<>();
        JsonNode results = call("GET", API_ROOT + "/engine/" + segment(engineId) + "/subgraph_definition?limit=1000",
                null).results();
        if (results != null) {
            results.forEach(d -> names.add(d.path("data").path("name").asText()));
        }
        return names;
    }

    /** {@code POST /engine/{id}/subgraph_definition}: answers the created envelope. */
    public JsonNode createSubgraphDefinition(String engineId, JsonNode data) throws IOException, InterruptedException {
        return call("POST", API_ROOT + "/engine/" + segment(engineId) + "/subgraph_definition", wrap(data)).results();
    }

    /** {@code PUT /engine/{id}}: answers the updated envelope. */
    public JsonNode updateEngine(String id, JsonNode data) throws IOException, InterruptedException {
        return call("PUT", API_ROOT + "/engine/" + segment(id), wrap(data)).results();
    }

    /** {@code PUT /engine/action/{id}/checkout}: the action must be PENDING; answers the work package. */
    public JsonNode checkout(String actionId) throws IOException, InterruptedException {
        return call("PUT", API_ROOT + "/engine/action/" + segment(actionId) + "/checkout", null).results();
    }

    /**
     * {@code PUT /engine/action/{id}/heartbeat} for the attempt {@code attempt}, asynchronously: the future fails with
     * the error (409 once that attempt was counted lost and the action handed out again).
     */
    public CompletableFuture<Answer> heartbeat(String actionId, int attempt) {
        String path = API_ROOT + "/engine/action/" + segment(actionId) + "/heartbeat";
        HttpRequest request = request("PUT", path, Json.object().put("attempt", attempt), JSON, requestTimeout);
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> {
                    try {
                        return answer("PUT", path, r);
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                });
    }

    /**
     * An outcome to check in: the action, the attempt it is the outcome of (the server refuses it once another
     * attempt began) and whether its handler succeeded (else the error message).
     */
    public record Outcome(String actionId, int attempt, boolean success, String errorMessage) {
    }

    /**
     * What a batch check-in answered: per outcome, in order, null when it was applied or the server's reason for
     * refusing it; and the engine's next actions, already checked out (RUNNING).
     */
    public record Batch(List<DartApiException> refusals, List<JsonNode> next) {
    }

    /**
     * {@code POST /engine/{name}/action/checkins}: checks the outcomes in and takes up to {@code max} next actions,
     * waiting up to {@code waitSeconds} when none is there; with no outcomes it is a poll.
     */
    public Batch checkin(String engineName, List<Outcome> outcomes, int max, int waitSeconds)
            throws IOException, InterruptedException {
        ObjectNode body = Json.object();
        ArrayNode checkins = body.putArray("checkins");
        for (Outcome o : outcomes) {
            ObjectNode item = checkins.addObject().put("action_id", o.actionId()).put("attempt", o.attempt())
                    .put("state", o.success() ? "SUCCESS" : "FAILURE");
            if (!o.success()) {
                item.put("error_message", o.errorMessage());
            }
        }
        body.put("max", max).put("wait_seconds", waitSeconds);
        String path = API_ROOT + "/engine/" + segment(engineName) + "/action/checkins";
        JsonNode answer = call("POST", path, body, requestTimeout.plusSeconds(waitSeconds)).body();
        JsonNode results = answer == null ? null : answer.get("results");
        if (results == null || !results.isArray() || results.size() != outcomes.size()) {
            throw new IOException("POST " + path + " answered without one result per outcome: " + answer);
        }
        List<DartApiException> refusals = new ArrayList<>();
        for (JsonNode r : results) {
            refusals.add("OK".equals(r.path("results").asText()) ? null
                    : new DartApiException("POST", path, r.path("status").asInt(400), r.path("error_message").asText(null)));
        }
        List<JsonNode> next = new ArrayList<>();
        answer.path("next").forEach(next::add);
        return new Batch(refusals, next);
    }

    /** {@code GET /action/{id}}: the action envelope. */
    public JsonNode action(String actionId) throws IOException, InterruptedException {
        return call("GET", API_ROOT + "/action/" + segment(actionId), null).results();
    }

    /** {@code GET /{entityType}/{id}}: the entity's envelope. */
    public JsonNode entity(String entityType, String id) throws IOException, InterruptedException {
        return call("GET", API_ROOT + "/" + segment(entityType) + "/" + segment(id), null).results();
    }

    /** {@code PATCH /action/{id}} with an RFC 6902 patch; answers the updated envelope. */
    public JsonNode patchAction(String actionId, ArrayNode patch) throws IOException, InterruptedException {
        String path = API_ROOT + "/action/" + segment(actionId);
        return answer("PATCH", path, send(request("PATCH", path, patch, JSON_PATCH, requestTimeout)))
                .results();
    }

    /** One page of {@code GET /action/{id}/subscription/elements}: {@code {results, limit, offset, total}}. */
    public JsonNode subscriptionElements(String actionId, int limit, long offset)
            throws IOException, InterruptedException {
        return call("GET", API_ROOT + "/action/" + segment(actionId) + "/subscription/elements?limit=" + limit
                + "&offset=" + offset, null).body();
    }

    // ---- plumbing

    /** One call with the default timeout; error statuses throw {@link DartApiException}. */
    public Answer call(String method, String pathAndQuery, JsonNode body) throws IOException, InterruptedException {
        return call(method, pathAndQuery, body, requestTimeout);
    }

    public Answer call(String method, String pathAndQuery, JsonNode body, Duration timeout)
            throws IOException, InterruptedException {
        return answer(method, pathAndQuery, send(request(method, pathAndQuery, body, JSON, timeout)));
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpRequest request(String method, String pathAndQuery, JsonNode body, String contentType,
                                Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + pathAndQuery))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", JSON);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType);
            b.method(method, HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** Parses an answer; error statuses become {@link DartApiException}, a success that is not JSON an IOException. */
    static Answer answer(String method, String path, HttpResponse<String> r) throws IOException {
        String text = r.body();
        int status = r.statusCode();
        if (status >= 400) {
            throw new DartApiException(method, pathOnly(path), status, errorMessage(text));
        }
        if (status < 200 || status >= 300) {
            throw new IOException(method + " " + pathOnly(path) + " answered an unexpected " + status);
        }
        if (text == null || text.isBlank()) {
            return new Answer(status, null);
        }
        try {
            return new Answer(status, Json.parse(text));
        } catch (JsonProcessingException e) {
            throw new IOException(method + " " + pathOnly(path) + " answered " + status + " with a body that is not JSON: "
                    + abbreviate(text));
        }
    }

    /**
     * The message of an error body: {@code error_message} of the API's {@code {"results": "ERROR", ...}}, else the
     * body itself (shortened), else null.
     */
    public static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode json = Json.parse(body);
            JsonNode message = json.get("error_message");
            if (message != null && message.isTextual()) {
                return message.asText();
            }
            JsonNode nested = json.path("_embedded").path("errors").path(0).get("message");
            if (nested != null && nested.isTextual()) {
                return nested.asText();
            }
            if (json.has("message") && json.get("message").isTextual()) {
                return json.get("message").asText();
            }
        } catch (JsonProcessingException ignored) {
            // not JSON: a proxy's HTML page, say; keep the start of it
        }
        return abbreviate(body.strip());
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "...";
    }

    private static String pathOnly(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private static ObjectNode wrap(JsonNode data) {
        ObjectNode body = Json.object();
        body.set("data", data);
        return body;
    }

    /** A URL path segment: ids and names are plain, but nothing the caller passes may change the path. */
    static String segment(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("an id or name is missing");
        }
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
