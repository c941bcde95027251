package io.dartmart.api.error;

import io.dartmart.domain.error.DartException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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

    @Override
    public HttpResponse<String> handle(HttpRequest request, DartException e) {
        LOG.debug("{} {} -> {}: {}", request.getMethod(), request.getPath(), e.status(), e.getMessage());
        return ErrorBodies.response(e.status(), e.getMessage());
    }
}
