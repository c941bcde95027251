package io.dartmart.api.error;

import io.dartmart.domain.error.DartException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps the domain's errors to their status; 4xx are the client's and logged quietly. */
@Produces
@Singleton
@Requires(classes = {DartException.class, ExceptionHandler.class})
public class DartExceptionHandler implements ExceptionHandler<DartException, HttpResponse<String>> {
    private static final Logger LOG = LoggerFactory.getLogger(DartExceptionHandler.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @Override
    public HttpResponse<String> handle(HttpRequest request, DartException e) {
        LOG.debug("{} {} -> {}: {}", request.getMethod(), request.getPath(), e.status(), e.getMessage());
        MutableHttpResponse<String> response = ErrorBodies.response(e.status(), e.getMessage());
        if (e.status() == 503) {
            // a dependency is down or slow: tell clients (and load balancers) to come back, not to hammer
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response;
    }
}
