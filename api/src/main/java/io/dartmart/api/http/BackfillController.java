package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.triggers.backfill.BackfillRequest;
import io.dartmart.triggers.backfill.Backfills;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** Backfills of scheduled triggers: asking for one (or its dry run), its progress, cancelling it. */
@Controller("/api/1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
public class BackfillController {
    private final Backfills backfills;

    public BackfillController(Backfills backfills) {
        this.backfills = backfills;
    }

    @Post("/trigger/{id}/backfill")
    @Allowed({ADMIN, EDITOR})
    public HttpResponse<String> request(String id, @Nullable @Body String body, HttpRequest<?> request) {
        return Responses.results(backfills.request(id, BackfillRequest.parse(body == null ? null : Bodies.json(body)),
                Bodies.caller(request)));
    }

    @Get("/backfill/{id}")
    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    public HttpResponse<String> get(String id) {
        return Responses.results(backfills.get(id));
    }

    @Post("/backfill/{id}/cancel")
    @Allowed({ADMIN, EDITOR})
    public HttpResponse<String> cancel(String id) {
        return Responses.results(backfills.cancel(id));
    }
}
