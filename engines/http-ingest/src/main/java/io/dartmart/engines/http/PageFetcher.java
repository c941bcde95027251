package io.dartmart.engines.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Requests one page: signs it, keeps to the rate limit, retries what may pass later (429, 5xx, no answer) after a
 * doubling backoff or the server's {@code Retry-After}, and reads at most {@code max_response_bytes} of the answer.
 */
final class PageFetcher {
    /** Waits, giving up when the action is stopped. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** A page: its JSON body and the response's headers. */
    record Page(JsonNode body, HttpHeaders headers) {
    }

    /** The request's shape and limits, the same for every page. */
    record Settings(String method, Map<String, String> headers, byte[] body, Duration timeout, long maxBytes,
                    int maxRetries, Duration initialBackoff, Duration maxRetryWait, Double requestsPerSecond) {
    }

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final int EXCERPT = 300;
    private static final ObjectReader JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readerFor(JsonNode.class);

    private final HttpClient client;
    private final Settings settings;
    private final Auth auth;
    private final Sleeper sleeper;
    private long nextAllowedNanos = System.nanoTime();

    PageFetcher(HttpClient client, Settings settings, Auth auth, Sleeper sleeper) {
        this.client = client;
        this.settings = settings;
        this.auth = auth;
        this.sleeper = sleeper;
    }

    /**
     * @throws IllegalStateException saying what the server answered (its status and the start of its body), or why
     *                               no answer came, after the last retry
     */
    Page fetch(URI page) throws InterruptedException {
        URI uri = auth.url(page);
        String shown = Urls.shown(page);
        for (int attempt = 0; ; attempt++) {
            keepRate();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request(uri), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                if (attempt >= settings.maxRetries()) {
                    throw new IllegalStateException("requesting " + shown + " failed after " + (attempt + 1)
                            + " attempts: " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                            : ": " + e.getMessage()));
                }
                sleeper.sleep(backoff(attempt));
                continue;
            }
            int status = response.statusCode();
            if (status == 429 || status >= 500) {
                String excerpt = excerpt(response);
                if (attempt >= settings.maxRetries()) {
                    throw new IllegalStateException(shown + " answered " + status + " after " + (attempt + 1)
                            + " attempts: " + excerpt);
                }
                Duration wait = retryAfter(response.headers());
                if (wait != null && wait.compareTo(settings.maxRetryWait()) > 0) {
                    throw new IllegalStateException(shown + " answered " + status + " and asks to retry in "
                            + wait.toSeconds() + " s, longer than max_retry_wait_seconds: " + excerpt);
                }
                sleeper.sleep(wait != null ? wait : backoff(attempt));
                continue;
            }
            if (status < 200 || status > 299) {
                throw new IllegalStateException(shown + " answered " + status + (status / 100 == 3
                        ? " (a redirect to " + response.headers().firstValue("Location").map(l -> Urls.shown(
                        page.resolve(l))).orElse("nowhere") + ": give the final URL)" : "") + ": " + excerpt(response));
            }
            return new Page(parse(response, shown), response.headers());
        }
    }

    private HttpRequest request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Accept", "application/json");
        settings.headers().forEach(b::setHeader);
        byte[] body = settings.body();
        String contentType = null;
        if (body != null) {
            contentType = "application/json";
            b.header("Content-Type", contentType);
        }
        b.method(settings.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        auth.sign(b, settings.method(), uri, contentType, body);
        return b.build();
    }

    private void keepRate() throws InterruptedException {
        Double rate = settings.requestsPerSecond();
        if (rate == null) {
            return;
        }
        long now = System.nanoTime();
        if (nextAllowedNanos > now) {
            sleeper.sleep(Duration.ofNanos(nextAllowedNanos - now));
        }
        nextAllowedNanos = Math.max(now, nextAllowedNanos) + (long) (1_000_000_000L / rate);
    }

    private Duration backoff(int attempt) {
        Duration wait = settings.initialBackoff().multipliedBy(1L << Math.min(attempt, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers) {
        String value = headers.firstValue("Retry-After").map(String::trim).orElse(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private JsonNode parse(HttpResponse<InputStream> response, String shown) {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (declared > settings.maxBytes()) {
                throw tooLarge(shown, declared + " bytes, more");
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBytes() + 1));
            if (bytes.length > settings.maxBytes()) {
                throw tooLarge(shown, "more");
            }
            return JSON.readValue(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(shown + " answered a body that is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading the answer of " + shown + " failed: " + e.getMessage());
        }
    }

    private IllegalStateException tooLarge(String shown, String size) {
        return new IllegalStateException(shown + " answered " + size + " than max_response_bytes ("
                + settings.maxBytes() + "): ask for smaller pages or raise the limit");
    }

    /** The start of an error answer's body, for the message; the rest is discarded. */
    private static String excerpt(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            String text = new String(in.readNBytes(EXCERPT), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(no body)" : text;
        } catch (IOException e) {
            return "(the body could not be read: " + e.getMessage() + ")";
        }
    }
}
