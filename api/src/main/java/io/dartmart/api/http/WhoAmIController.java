package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.model.Json;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import static io.dartmart.domain.auth.Role.ACTION_TOKEN;
import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** Who the caller's key belongs to and its role, so a client (the web UI) shows only what the role may do. */
@Controller("/api/1/whoami")
public class WhoAmIController {
    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE, ACTION_TOKEN})
    @Get
    public HttpResponse<String> whoami(HttpRequest<?> request) {
        Caller caller = Bodies.caller(request);
        var out = Json.object();
        out.put("user_id", caller.userId());
        out.put("role", caller.role().wireName());
        if (caller.engineName() != null) {
            out.put("engine_name", caller.engineName());
        }
        return Responses.results(out);
    }
}
