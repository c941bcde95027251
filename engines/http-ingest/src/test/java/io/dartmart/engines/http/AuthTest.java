package io.dartmart.engines.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.dartmart.engines.http.TestApi.Answer.ok;
import static io.dartmart.engines.http.TestApi.param;
import static io.dartmart.engines.http.TestIngest.COLUMNS;
import static io.dartmart.engines.http.TestIngest.ingest;
import static io.dartmart.engines.http.TestIngest.items;
import static io.dartmart.engines.http.TestIngest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each auth type, checked by the server on every page (two pages each); a request it refuses fails the action. */
class AuthTest {
    private static final TestApi.Answer REFUSED = new TestApi.Answer(401, "{\"error\": \"who are you\"}", List.of());

    private static String args(TestApi api, String auth, String extra) {
        return "{\"url\": \"" + api.url("/v1/orders?region=eu") + "\", \"auth\": " + auth + ", \"records_path\": \"$.data\","
                + " \"pagination\": {\"type\": \"next_link\", \"next_link_path\": \"$.next\"}, \"columns\": " + COLUMNS
                + ", \"target_schema_name\": \"" + unique("auth") + "\", \"target_table_name\": \"orders\"" + extra + "}";
    }

    private static TestApi.Answer page(int i) {
        return ok("{\"data\": " + items(i + 1, i + 1) + ", \"next\": " + (i == 0 ? "\"/v1/orders?region=eu&p=2\"" : "null")
                + "}");
    }

    @Test
    void bearer() throws Exception {
        try (TestApi api = new TestApi((r, i) -> "Bearer tok-123".equals(r.header("Authorization")) ? page(i) : REFUSED)) {
            assertEquals(2, ingest(args(api, "{\"type\": \"bearer\", \"token\": \"tok-123\"}", "")).pages());
        }
    }

    @Test
    void basic() throws Exception {
        String expected = "Basic " + Base64.getEncoder().encodeToString("ann:p@ss:word".getBytes(StandardCharsets.UTF_8));
        try (TestApi api = new TestApi((r, i) -> expected.equals(r.header("Authorization")) ? page(i) : REFUSED)) {
            assertEquals(2, ingest(args(api, "{\"type\": \"basic\", \"username\": \"ann\", \"password\": \"p@ss:word\"}",
                    "")).pages());
        }
    }

    @Test
    void apiKeyInAHeader() throws Exception {
        try (TestApi api = new TestApi((r, i) -> "k-1".equals(r.header("X-Token")) && param(r, "X-Token") == null
                ? page(i) : REFUSED)) {
            assertEquals(2, ingest(args(api, "{\"type\": \"api_key\", \"api_key\": \"k-1\", \"api_key_name\": \"X-Token\"}",
                    "")).pages());
        }
    }

    @Test
    void apiKeyInTheQueryGoesWithEveryPageNextLinksIncluded() throws Exception {
        try (TestApi api = new TestApi((r, i) -> "k 2&x".equals(param(r, "api_key")) && r.header("api_key") == null
                ? page(i) : REFUSED)) {
            assertEquals(2, ingest(args(api, "{\"type\": \"api_key\", \"api_key\": \"k 2&x\", \"api_key_name\": \"api_key\","
                    + " \"api_key_in\": \"query\"}", "")).pages());
            assertEquals("2", param(api.requests.get(1), "p"));
        }
    }

    @Test
    void hawkSignsEachRequestAndItsBody() throws Exception {
        Hawk server = new Hawk("dh37fgj492je", "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn", "sha256");
        try (TestApi api = new TestApi((r, i) -> {
            Map<String, String> h = hawkAttributes(r.header("Authorization"));
            URI uri = URI.create("http://" + r.header("Host") + r.uri());
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            String expected = server.header(r.method(), uri, Long.parseLong(h.get("ts")), h.get("nonce"),
                    r.header("Content-Type"), body, null);
            boolean fresh = Math.abs(Long.parseLong(h.get("ts")) - System.currentTimeMillis() / 1000) < 60;
            return expected.equals(r.header("Authorization")) && fresh ? page(i) : REFUSED;
        })) {
            assertEquals(2, ingest(args(api, "{\"type\": \"hawk\", \"hawk_id\": \"dh37fgj492je\","
                    + " \"hawk_key\": \"werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn\"}",
                    ", \"method\": \"POST\", \"body\": {\"since\": \"2026-01-01\"}")).pages());
            assertTrue(api.requests.get(0).header("Authorization").contains("hash=\""), "the body is signed");
            assertEquals("{\"since\":\"2026-01-01\"}", api.requests.get(1).body());
        }
    }

    @Test
    void hawkMatchesTheSpecificationsExamples() {
        Hawk hawk = new Hawk("dh37fgj492je", "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn", "sha256");
        URI uri = URI.create("http://example.com:8000/resource/1?b=1&a=2");
        assertEquals("6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE=", hawkAttributes(hawk.header("GET", uri, 1353832234L,
                "j4h3g2", null, null, "some-app-ext-data")).get("mac"));
        byte[] payload = "Thank you for flying Hawk".getBytes(StandardCharsets.UTF_8);
        assertEquals("Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY=", hawk.payloadHash("text/plain", payload));
        assertEquals("aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw=", hawkAttributes(hawk.header("POST", uri, 1353832234L,
                "j4h3g2", "text/plain", payload, "some-app-ext-data")).get("mac"));
    }

    @Test
    void aRefusedRequestFailsWithTheServersAnswerAndNoTable() throws Exception {
        try (TestApi api = new TestApi((r, i) -> REFUSED)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ingest(args(api,
                    "{\"type\": \"bearer\", \"token\": \"wrong\"}", "")));
            assertEquals(api.url("/v1/orders") + " answered 401: {\"error\": \"who are you\"}", e.getMessage());
        }
    }

    @Test
    void anAuthTypeWithoutItsSecretIsRefusedBeforeAnyRequest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Auth.of(
                TestIngest.jsonOf("{\"type\": \"hawk\", \"hawk_id\": \"x\"}"), java.time.Clock.systemUTC()));
        assertEquals("auth.hawk_key is missing: auth type hawk needs it", e.getMessage());
        assertNull(Auth.of(null, java.time.Clock.systemUTC()).secrets().stream().findAny().orElse(null));
    }

    private static Map<String, String> hawkAttributes(String header) {
        Map<String, String> out = new HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(header);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
