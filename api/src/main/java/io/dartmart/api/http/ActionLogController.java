package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.auth.Scope;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.ListQuery;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static io.dartmart.domain.auth.Role.ACTION_TOKEN;
import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** What an action's engine task printed, oldest first, paged like every list. */
@Controller("/api/1/action")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ActionLogController {
    private final Entities entities;
    private final Db db;

    public ActionLogController(Entities entities, Db db) {
        this.entities = entities;
        this.db = db;
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE, ACTION_TOKEN})
    @Get("/{id}/logs")
    public HttpResponse<String> logs(String id, HttpRequest<?> request) {
        Scope.require(Bodies.caller(request), entities.get(EntityType.ACTION, id), false);
        ListQuery page = ListParams.from(request);
        var body = Json.object();
        var results = body.putArray("results");
        long total = db.readWithCustomPlans(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT created, stream, line FROM action_log"
                    + " WHERE action_id = ? ORDER BY seq LIMIT ? OFFSET ?")) {
                ps.setString(1, id);
                ps.setInt(2, page.limit());
                ps.setInt(3, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        var line = results.addObject();
                        line.put("created", Timestamps.format(rs.getTimestamp(1).toInstant()));
                        line.put("stream", rs.getString(2));
                        line.put("line", rs.getString(3));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM action_log WHERE action_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        body.put("limit", page.limit());
        body.put("offset", page.offset());
        body.put("total", total);
        return HttpResponse.ok(Json.write(body)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
