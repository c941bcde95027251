package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.graph.EntityGraph;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** The graph around an entity, and the search the UI uses to pick one. */
@Controller("/api/1/graph")
@ExecuteOn(TaskExecutors.BLOCKING)
public class GraphController {
    private final EntityGraph graph;

    public GraphController(EntityGraph graph) {
        this.graph = graph;
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/entity_identifiers")
    public HttpResponse<String> identifiers(@Nullable @QueryValue("search") String search, HttpRequest<?> request) {
        return Responses.results(graph.identifiers(search, Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/{entityType}/{id}")
    public HttpResponse<String> around(String entityType, String id, HttpRequest<?> request) {
        return Responses.results(graph.around(EntityGraph.graphType(entityType), id, Bodies.caller(request)));
    }
}
