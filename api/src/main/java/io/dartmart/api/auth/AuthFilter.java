package io.dartmart.api.auth;

import io.dartmart.api.error.ErrorBodies;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.ForbiddenException;
import io.dartmart.domain.service.ApiKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Optional;

/**
 * Every call under /api/1 carries an API key. The key is looked up on every request (one indexed read), so a
 * revoked key stops working at once on every copy of the API.
 */
@ServerFilter("/api/**")
public class AuthFilter {
    /** The request attribute that holds the authenticated {@link Caller}. */
    public static final String CALLER = "dart.caller";
    private static final String PREFIX = "/api/1";

    private final ApiKeys keys;

    public AuthFilter(ApiKeys keys) {
        this.keys = keys;
    }

    /** Answers null to let the request through, or the 401/403 answer. */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        Optional<Caller> caller = Credentials.fromHeader(request.getHeaders().get(HttpHeaders.AUTHORIZATION))
                .flatMap(c -> keys.authenticate(c.key(), c.secret()));
        if (caller.isEmpty()) {
            return ErrorBodies.response(401, "authentication required: send an API key as HTTP Basic key:secret"
                    + " or as 'Authorization: Bearer key:secret'")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"dart\"");
        }
        String path = AccessRules.normalise(request.getPath());
        String route = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        try {
            AccessRules.check(caller.get(), request.getMethod(), route);
        } catch (ForbiddenException e) {
            return ErrorBodies.response(403, e.getMessage());
        }
        request.setAttribute(CALLER, caller.get());
        return null;
    }
}
