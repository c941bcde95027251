package io.dartmart.api.error;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Errors that Micronaut raises itself (unknown route, wrong method, oversized or unreadable body) come out in
 * dart's JSON error body too, never as HTML; an unexpected failure says so without leaking internals.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class DartErrorResponseProcessor implements ErrorResponseProcessor<String> {
    @Override
    public MutableHttpResponse<String> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<String>) response;
        }
        int status = response.code();
        String message;
        if (status == HttpStatus.NOT_FOUND.getCode() && isRouteNotFound(context)) {
            message = "no route " + context.getRequest().getMethod() + " " + context.getRequest().getPath();
        } else if (status >= 500) {
            message = "internal error while handling " + context.getRequest().getMethod() + " "
                    + context.getRequest().getPath() + "; the server log has the details";
        } else if (context.hasErrors()) {
            message = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        } else {
            message = HttpStatus.valueOf(status).getReason();
        }
        return ((MutableHttpResponse<String>) response).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorBodies.body(message));
    }

    /** Micronaut's own 404 for an unmatched path carries only its generic reason. */
    private static boolean isRouteNotFound(ErrorContext context) {
        return !context.hasErrors() || context.getErrors().stream().allMatch(e -> "Page Not Found".equals(e.getMessage()));
    }
}
