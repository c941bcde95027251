package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.graph.EntityGraph;
import io.dartmart.domain.graph.SubGraphs;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** The graph around an entity, the search the UI uses to pick one, and subgraph templates and their saving. */
@Controller("/api/1/graph")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
public class GraphController {
    private final EntityGraph graph;
    private final SubGraphs subGraphs;

    public GraphController(EntityGraph graph, SubGraphs subGraphs) {
        this.graph = graph;
        this.subGraphs = subGraphs;
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/entity_identifiers")
    public HttpResponse<String> identifiers(@Nullable @QueryValue("search") String search, HttpRequest<?> request) {
        return Responses.results(graph.identifiers(search, Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/sub_graph")
    public HttpResponse<String> subGraphs(@Nullable @QueryValue("related_type") String relatedType,
                                          @Nullable @QueryValue("related_id") String relatedId,
                                          @Nullable @QueryValue("engine_name") String engineName) {
        return Responses.results(subGraphs.templates(relatedType, relatedId, engineName));
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/sub_graph")
    public HttpResponse<String> saveSubGraph(@Body String body, HttpRequest<?> request) {
        return Responses.results(subGraphs.save(Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/{entityType}/{id}")
    public HttpResponse<String> around(String entityType, String id, HttpRequest<?> request) {
        return Responses.results(graph.around(EntityGraph.graphType(entityType), id, Bodies.caller(request)));
    }
}
