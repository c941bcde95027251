package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.service.NestedEntities;
import io.dartmart.domain.service.WorkflowSteps;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** Creation under a parent, a workflow saved with its steps, and the subgraph definitions engines offer. */
@Controller("/api/1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
public class NestedController {
    private final NestedEntities nested;
    private final Entities entities;
    private final WorkflowSteps steps;

    public NestedController(NestedEntities nested, Entities entities, WorkflowSteps steps) {
        this.nested = nested;
        this.entities = entities;
        this.steps = steps;
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/datastore/{id}/workflow")
    public HttpResponse<String> workflowOnDatastore(String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(nested.workflowOnDatastore(id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/datastore/{id}/action")
    public HttpResponse<String> actionsOnDatastore(String id, @Body String body, HttpRequest<?> request) {
        return Responses.many(nested.actionsOnDatastore(id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/workflow/{id}/action")
    public HttpResponse<String> actionsOnWorkflow(String id, @Body String body, HttpRequest<?> request) {
        return Responses.many(nested.actionsOnWorkflow(id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR})
    @Put("/workflow/{id}/steps")
    public HttpResponse<String> saveSteps(String id, @Body String body, HttpRequest<?> request) {
        return Responses.results(steps.save(id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/dataset/{id}/subscription")
    public HttpResponse<String> subscriptionOnDataset(String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(nested.subscriptionOnDataset(id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR, ENGINE})
    @Post("/engine/{id}/subgraph_definition")
    public HttpResponse<String> subgraphDefinition(String id, @Body String body, HttpRequest<?> request) {
        return Responses.one(nested.subgraphDefinitionOfEngine(id, Bodies.json(body), Bodies.caller(request)));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/engine/{id}/subgraph_definition")
    public HttpResponse<String> subgraphDefinitions(String id, HttpRequest<?> request) {
        var engine = entities.get(EntityType.ENGINE, id);
        return Responses.page(entities.list(EntityType.SUBGRAPH_DEFINITION,
                ListParams.from(request, List.of(Filter.eq("engine_name", engine.text("name"))))));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/subgraph_definition/{id}")
    public HttpResponse<String> getSubgraphDefinition(String id) {
        return Responses.one(entities.get(EntityType.SUBGRAPH_DEFINITION, id));
    }

    @Allowed({ADMIN, EDITOR})
    @Delete("/subgraph_definition/{id}")
    public HttpResponse<String> deleteSubgraphDefinition(String id) {
        entities.delete(EntityType.SUBGRAPH_DEFINITION, id);
        return Responses.ok();
    }
}
