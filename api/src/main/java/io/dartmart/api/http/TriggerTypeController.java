package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.TriggerRules;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** The trigger types users may create, with the schema of their args. */
@Controller("/api/1/trigger_type")
public class TriggerTypeController {
    private final TriggerRules triggers;

    public TriggerTypeController(TriggerRules triggers) {
        this.triggers = triggers;
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get
    public HttpResponse<String> list() {
        var out = Json.array();
        triggers.creatableTypes().forEach(t -> {
            var item = out.addObject();
            item.put("name", t.name());
            item.put("description", t.description());
            item.set("params_json_schema", t.paramsJsonSchema());
        });
        return Responses.results(out);
    }
}
