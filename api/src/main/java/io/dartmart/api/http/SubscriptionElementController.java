package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.auth.Scope;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.store.Db;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static io.dartmart.domain.auth.Role.ACTION_TOKEN;
import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** The files of a subscription, their statistics per state, and the files assigned to an action. */
@Controller("/api/1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SubscriptionElementController {
    private final Entities entities;
    private final Db db;

    public SubscriptionElementController(Entities entities, Db db) {
        this.entities = entities;
        this.db = db;
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/subscription/{id}/elements")
    public HttpResponse<String> elements(String id, HttpRequest<?> request) {
        entities.get(EntityType.SUBSCRIPTION, id);
        List<Filter> imposed = new ArrayList<>(ListParams.shortcuts(request, "state"));
        imposed.add(Filter.eq("subscription_id", id));
        return Responses.page(entities.list(EntityType.SUBSCRIPTION_ELEMENT, ListParams.from(request, imposed)));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/subscription/{id}/element_stats")
    public HttpResponse<String> stats(String id) {
        entities.get(EntityType.SUBSCRIPTION, id);
        var out = Json.array();
        db.readWithCustomPlans(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state, count(*), "
                    + "coalesce(sum((data ->> 'file_size')::bigint), 0) FROM subscription_element"
                    + " WHERE subscription_id = ? GROUP BY state ORDER BY state")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        var row = out.addObject();
                        row.put("state", rs.getString(1));
                        row.put("count", rs.getLong(2));
                        row.put("file_size_sum", rs.getLong(3));
                    }
                }
            }
            return null;
        });
        return Responses.results(out);
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE, ACTION_TOKEN})
    @Get("/action/{id}/subscription/elements")
    public HttpResponse<String> ofAction(String id, HttpRequest<?> request) {
        Scope.require(Bodies.caller(request), entities.get(EntityType.ACTION, id), false);
        return Responses.page(entities.list(EntityType.SUBSCRIPTION_ELEMENT,
                ListParams.from(request, List.of(Filter.eq("action_id", id)))));
    }
}
