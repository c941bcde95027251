package io.dartmart.api;

import io.dartmart.api.support.ApiClient;
import io.dartmart.api.support.ApiTestBase;
import io.dartmart.api.support.Contract;
import io.dartmart.api.support.Exchange;
import io.dartmart.domain.model.Json;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The root routes: health, Prometheus metrics and the API documentation, all without a key. */
@MicronautTest
class OperationsTest extends ApiTestBase {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** What Prometheus sends when it scrapes. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
            + "text/plain;version=0.0.4;q=0.4,*/*;q=0.1";
    /** What a browser sends for a page. */
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    /** What Swagger UI 5.17 sends when it loads the document (swagger-ui-bundle.js, the spec download). */
    private static final String SWAGGER_UI_ACCEPT = "application/json,*/*";
    private static final Pattern ENTITY_GAUGE = Pattern.compile(
            "(?m)^dart_entities\\{entity=\"trigger\",state=\"INACTIVE\",?\\} (\\S+)$");

    private ApiClient anonymous() {
        return ApiClient.anonymous(base());
    }

    /**
     * GET without a key with the Accept header a real client of the route sends. {@link ApiClient} always sends
     * {@code Accept: application/json}, which these text routes refuse (see {@link #rootRoutesThroughTheJsonClient});
     * the exchange still goes through the contract check.
     */
    private Exchange fetch(String path, String accept) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
        String ct = r.headers().firstValue("Content-Type").orElse(null);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", accept);
        Exchange ex = new Exchange("GET", r.uri().getRawPath(), Map.of(), headers, null, r.statusCode(), ct, r.body(),
                ct != null && ct.startsWith("application/json") && !r.body().isEmpty() ? Json.parseTrusted(r.body()) : null);
        Contract.check(ex);
        return ex;
    }

    private static Exchange okText(Exchange ex, String contentTypePrefix) {
        ok(ex);
        assertNotNull(ex.contentType(), ex.path());
        assertTrue(ex.contentType().startsWith(contentTypePrefix), ex.path() + " answered " + ex.contentType());
        return ex;
    }

    @Test
    void healthIsUpWithoutAKey() {
        Exchange ex = ok(anonymous().get("/health"));
        assertEquals("UP", ex.json().path("status").asText(), ex.responseBody());
    }

    @Test
    void metricsCountRequestsByRouteTemplate() throws Exception {
        String eventId = ok(admin().post("/api/1/event", body(Map.of("name", "metered-" + unique())))).results()
                .get("id").asText();
        ok(admin().get("/api/1/event/" + eventId));

        String text = okText(fetch("/metrics", PROMETHEUS_ACCEPT), "text/plain").responseBody();
        assertTrue(text.contains("http_server_requests_seconds"), "request timings are exported");
        Pattern byTemplate = Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*method=\"GET\"[^}]*"
                + "uri=\"/api/1/\\{[a-z_]+\\}/\\{[a-z_]+\\}\"[^}]*\\} ");
        assertTrue(byTemplate.matcher(text).find(), "a uri label holds the route template, not the path:\n"
                + grep(text, "http_server_requests_seconds_count"));
        assertFalse(text.contains(eventId), "ids never become label values (unbounded cardinality)");
    }

    @Test
    void metricsCountEntitiesByKindAndState() throws Exception {
        String name = "gauged-" + unique();
        ok(admin().post("/api/1/trigger", body(Map.of("name", name, "trigger_type_name", "scheduled",
                "state", "INACTIVE", "args", Map.of("cron_pattern", "0 10 * * ? *")))));
        long atLeast = ok(admin().get("/api/1/trigger", Map.of("filters", "[\"state = INACTIVE\"]", "limit", "0")))
                .json().get("total").asLong();
        assertTrue(atLeast >= 1);

        // the gauges refresh every second in tests: wait, up to a deadline, for one that counts the trigger just made
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text = null;
        while (System.nanoTime() < deadline) {
            text = okText(fetch("/metrics", PROMETHEUS_ACCEPT), "text/plain").responseBody();
            Matcher m = ENTITY_GAUGE.matcher(text);
            if (m.find() && Double.parseDouble(m.group(1)) >= atLeast) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the poll interval of the await, not a fixed wait
        }
        fail("no dart_entities{entity=\"trigger\",state=\"INACTIVE\"} >= " + atLeast + " within 10 s:\n"
                + grep(text, "dart_entities"));
    }

    @Test
    void apiDocsServeSwaggerUiOverTheContract() throws Exception {
        Exchange page = okText(fetch("/apidocs", BROWSER_ACCEPT), "text/html");
        assertTrue(page.responseBody().contains("swagger-ui"), page.responseBody());

        Exchange spec = ok(fetch("/apidocs/openapi.yaml", SWAGGER_UI_ACCEPT));
        assertTrue(spec.responseBody().startsWith("openapi:"), spec.responseBody().substring(0, 40));
        assertTrue(spec.responseBody().contains("/graph/entity_identifiers"), "the whole contract is served");

        // the Swagger UI bundle is a static resource the contract does not describe: fetched without the check
        HttpResponse<String> js = HTTP.send(HttpRequest.newBuilder(
                        base().resolve("/apidocs/swagger-ui/swagger-ui-bundle.js")).timeout(Duration.ofSeconds(30))
                .header("Accept", "*/*").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, js.statusCode());
        assertTrue(js.body().length() > 100_000, "the real bundle, not a stub: " + js.body().length() + " chars");
        assertTrue(js.body().contains("SwaggerUIBundle"));
    }

    /** A client that insists on JSON gets a documented 406 from a text route, as a JSON error body. */
    @Test
    void aTextRouteRefusesAJsonOnlyClientWithADocumented406() {
        String msg = error(406, anonymous().get("/metrics"));
        assertTrue(msg.contains("text/plain"), msg);
        error(406, anonymous().get("/apidocs"));
    }

    private static String grep(String text, String word) {
        if (text == null) {
            return "(no scrape)";
        }
        StringBuilder sb = new StringBuilder();
        text.lines().filter(l -> l.contains(word)).limit(40).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
