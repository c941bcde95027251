package io.dartmart.api.http;

import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.service.WorkflowRuns;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;

/** Runs of workflows: starting one by hand, and reading and deleting instances. */
@Controller("/api/1/workflow")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
public class WorkflowInstanceController {
    private final Entities entities;
    private final WorkflowRuns runs;

    public WorkflowInstanceController(Entities entities, WorkflowRuns runs) {
        this.entities = entities;
        this.runs = runs;
    }

    @Post("/{id}/do-manual-trigger")
    public HttpResponse<String> manualTrigger(String id, @Nullable @Body String body, HttpRequest<?> request) {
        if (body != null && !body.isBlank()) {
            Bodies.json(body);
        }
        runs.start(id, "manual", null, Bodies.caller(request));
        return Responses.ok();
    }

    @Get("/{id}/instance")
    public HttpResponse<String> instancesOf(String id, HttpRequest<?> request) {
        entities.get(EntityType.WORKFLOW, id);
        return Responses.page(entities.list(EntityType.WORKFLOW_INSTANCE,
                ListParams.from(request, List.of(Filter.eq("workflow_id", id)))));
    }

    @Get("/instance")
    public HttpResponse<String> instances(HttpRequest<?> request) {
        return Responses.page(entities.list(EntityType.WORKFLOW_INSTANCE,
                ListParams.from(request, ListParams.shortcuts(request, "workflow_id"))));
    }

    @Get("/instance/{id}")
    public HttpResponse<String> instance(String id) {
        return Responses.one(entities.get(EntityType.WORKFLOW_INSTANCE, id));
    }

    @Delete("/instance/{id}")
    public HttpResponse<String> deleteInstance(String id) {
        entities.delete(EntityType.WORKFLOW_INSTANCE, id);
        return Responses.ok();
    }
}
