package io.dartmart.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.execution.InstanceControl;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.schema.RequestSchemas;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.service.RunDeletion;
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

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;
import static io.dartmart.domain.auth.Role.ENGINE;
import static io.dartmart.domain.auth.Role.VIEWER;

/** Runs of workflows: starting one by hand, and reading and deleting instances. */
@Controller("/api/1/workflow")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkflowInstanceController {
    private final Entities entities;
    private final WorkflowRuns runs;
    private final InstanceControl control;
    private final RunDeletion runDeletion;

    public WorkflowInstanceController(Entities entities, WorkflowRuns runs, InstanceControl control,
                                      RunDeletion runDeletion) {
        this.control = control;
        this.runDeletion = runDeletion;
        this.entities = entities;
        this.runs = runs;
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/{id}/do-manual-trigger")
    public HttpResponse<String> manualTrigger(String id, @Nullable @Body String body, HttpRequest<?> request) {
        WorkflowRuns.RunOptions options = WorkflowRuns.RunOptions.NONE;
        if (body != null && !body.isBlank()) {
            var json = RequestSchemas.validate(RequestSchemas.MANUAL_TRIGGER, Bodies.json(body));
            var parameters = json.get("parameters");
            var callback = json.path("callback_url");
            options = new WorkflowRuns.RunOptions(parameters, callback.isTextual() ? callback.asText() : null);
        }
        Entity run = runs.start(id, "manual", null, options, Bodies.caller(request));
        // "OK" stays for the original's clients; the run's id lets new ones follow it
        ObjectNode answer = Json.object().put("results", "OK").put("workflow_instance_id", run.id());
        return Responses.json(answer);
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/instance/{id}/cancel")
    public HttpResponse<String> cancel(String id) {
        return Responses.one(control.cancel(id));
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/instance/{id}/resume")
    public HttpResponse<String> resume(String id) {
        return Responses.one(control.resume(id));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/{id}/instance")
    public HttpResponse<String> instancesOf(String id, HttpRequest<?> request) {
        entities.get(EntityType.WORKFLOW, id);
        return Responses.page(entities.list(EntityType.WORKFLOW_INSTANCE,
                ListParams.from(request, List.of(Filter.eq("workflow_id", id)))));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/instance")
    public HttpResponse<String> instances(HttpRequest<?> request) {
        return Responses.page(entities.list(EntityType.WORKFLOW_INSTANCE,
                ListParams.from(request, ListParams.shortcuts(request, "workflow_id"))));
    }

    @Allowed({ADMIN, EDITOR, VIEWER, ENGINE})
    @Get("/instance/{id}")
    public HttpResponse<String> instance(String id) {
        return Responses.one(entities.get(EntityType.WORKFLOW_INSTANCE, id));
    }

    @Allowed({ADMIN, EDITOR})
    @Delete("/instance/{id}")
    public HttpResponse<String> deleteInstance(String id) {
        runDeletion.deleteRun(id);
        return Responses.ok();
    }

    @Allowed({ADMIN, EDITOR})
    @Delete("/{id}/instance")
    public HttpResponse<String> deleteInstancesOf(String id) {
        runDeletion.deleteRunsOf(id);
        return Responses.ok();
    }
}
