package io.dartmart.api.auth;

import io.dartmart.api.error.ErrorBodies;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.service.ApiKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.web.router.RouteMatch;

import java.util.Optional;
import java.util.Set;

/**
 * Every call under /api/1 carries a credential: an API key, or a launched task's action token. It is looked up on
 * every request (one indexed read), so a revoked key stops working at once on every copy of the API. The matched
 * route's {@link Allowed} roles decide whether the caller may call it at all.
 */
@ServerFilter("/api/**")
public class AuthFilter {
    /** The request attribute that holds the authenticated {@link Caller}. */
    public static final String CALLER = "dart.caller";

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
        // no route matched: the router answers 404 or 405, which tells nothing a caller may not know
        Optional<RouteMatch<?>> route = BasicHttpAttributes.getRouteMatchInfo(request)
                .filter(RouteMatch.class::isInstance).map(m -> (RouteMatch<?>) m);
        if (route.isPresent()) {
            Set<?> allowed = RouteRoles.of(route.get().getAnnotationMetadata());
            if (!allowed.contains(caller.get().role())) {
                Caller c = caller.get();
                return ErrorBodies.response(403, request.getMethod() + " " + request.getPath() + " is for "
                        + RouteRoles.describe(RouteRoles.of(route.get().getAnnotationMetadata())) + ", not for "
                        + c.userId() + " (" + c.role().wireName().replace('_', ' ') + ")"
                        + (c.role() == Role.VIEWER ? ": viewer keys are read only" : ""));
            }
        }
        request.setAttribute(CALLER, caller.get());
        return null;
    }
}
