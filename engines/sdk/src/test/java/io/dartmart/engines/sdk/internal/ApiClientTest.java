package io.dartmart.engines.sdk.internal;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the client: URLs, keys, error bodies. */
class ApiClientTest {
    @Test
    void theApiUrlMayCarryTheApiRootOrNot() {
        for (String url : new String[]{"http://h:5000", "http://h:5000/", "http://h:5000/api/1", "http://h:5000/api/1/"}) {
            assertEquals(URI.create("http://h:5000"), ApiClient.serverOf(URI.create(url)), url);
        }
        assertEquals(URI.create("https://lb.example.com/dart"),
                ApiClient.serverOf(URI.create("https://lb.example.com/dart/api/1")));
    }

    @Test
    void unusableApiUrlsAreRefused() {
        for (String url : new String[]{"localhost:5000", "/api/1", "ftp://h/", "http://h:5000/?x=1", "http://h#f"}) {
            assertThrows(IllegalArgumentException.class, () -> ApiClient.serverOf(URI.create(url)), url);
        }
        assertThrows(IllegalArgumentException.class, () -> ApiClient.serverOf(null));
    }

    @Test
    void errorMessagesComeFromTheErrorBody() {
        assertEquals("/data/args/bucket: required property missing", ApiClient.errorMessage(
                "{\"results\": \"ERROR\", \"error_message\": \"/data/args/bucket: required property missing\"}"));
        assertEquals("Page Not Found", ApiClient.errorMessage(
                "{\"message\": \"Not Found\", \"_embedded\": {\"errors\": [{\"message\": \"Page Not Found\"}]}}"));
        assertEquals("Bad Gateway", ApiClient.errorMessage("{\"message\": \"Bad Gateway\"}"));
        assertEquals("<html><body>502 Bad Gateway</body></html>",
                ApiClient.errorMessage("  <html><body>502 Bad Gateway</body></html>\n"));
        assertNull(ApiClient.errorMessage(""));
        assertNull(ApiClient.errorMessage(null));
        String huge = ApiClient.errorMessage("x".repeat(5_000));
        assertTrue(huge.length() < 600 && huge.endsWith("..."), huge);
    }

    @Test
    void idsCannotChangeThePath() {
        assertEquals("ABC123", ApiClient.segment("ABC123"));
        assertEquals("a%20b%2F..%2Fc", ApiClient.segment("a b/../c"));
        assertThrows(IllegalArgumentException.class, () -> ApiClient.segment(""));
    }
}
