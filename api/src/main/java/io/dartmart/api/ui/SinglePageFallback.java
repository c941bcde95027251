package io.dartmart.api.ui;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web UI is a single-page app whose routes live in the browser: a reload of a deep link such as
 * {@code /workflow/ABC} reaches the server, which has no such route. A page request there (a GET that accepts HTML,
 * outside the API, for a path without a file extension) gets the UI's {@code index.html}; everything else keeps its
 * 404, so API clients still get dart's JSON error and a missing asset stays missing.
 */
@ServerFilter("/**")
public class SinglePageFallback {
    /** Where the build copies the UI (module {@code ui}); absent when built with {@code -Dskip.ui}. */
    static final String INDEX = "/dart-ui/index.html";

    private final byte[] index = load();

    @ResponseFilter
    @Nullable
    public HttpResponse<?> fallback(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (index == null || response.code() != HttpStatus.NOT_FOUND.getCode() || !isPageRequest(request)) {
            return null;
        }
        return HttpResponse.ok(index).contentType(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-cache");
    }

    static boolean isPageRequest(HttpRequest<?> request) {
        String path = request.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return request.getMethod() == HttpMethod.GET
                && !path.startsWith("/api/") && !path.equals("/api")
                && !last.contains(".")
                && request.getHeaders().accept().stream().anyMatch(t -> MediaType.TEXT_HTML.equals(t.getName()));
    }

    private static byte[] load() {
        try (InputStream in = SinglePageFallback.class.getResourceAsStream(INDEX)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
