package io.dartmart.api.http;

import io.dartmart.api.error.ErrorBodies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * A body sent to the API says it is JSON: without a Content-Type, routing would take it for whatever the route
 * consumes; the routes' {@code @Consumes} refuse any other type with 415. Runs after authentication.
 */
@ServerFilter("/api/**")
public class JsonBodyFilter implements Ordered {
    @RequestFilter
    @Nullable
    public HttpResponse<?> requireType(HttpRequest<?> request) {
        HttpMethod m = request.getMethod();
        boolean mayHaveBody = m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH;
        boolean hasBody = request.getContentLength() > 0 || request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING);
        if (mayHaveBody && hasBody && request.getContentType().isEmpty()) {
            return ErrorBodies.response(415, "a request body needs 'Content-Type: application/json'");
        }
        return null;
    }

    @Override
    public int getOrder() {
        return 1;
    }
}
