package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.InstanceControl;
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

    public WorkflowInstanceController(Entities entities, WorkflowRuns runs, InstanceControl control) {
        this.control = control;
        this.entities = entities;
        this.runs = runs;
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/{id}/do-manual-trigger")
    public HttpResponse<String> manualTrigger(String id, @Nullable @Body String body, HttpRequest<?> request) {
        WorkflowRuns.RunOptions options = WorkflowRuns.RunOptions.NONE;
        if (body != null && !body.isBlank()) {
            var json = Bodies.json(body);
            if (!json.isObject()) {
                throw new InvalidInputException("the body must be an object such as {\"parameters\": {...}}");
            }
            var parameters = json.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw new InvalidInputException("/parameters: must be an object");
            }
            var callback = json.get("callback_url");
            if (callback != null && !callback.isNull()
                    && !(callback.isTextual() && callback.asText().matches("^https?://.+"))) {
                throw new InvalidInputException("/callback_url: must be an http or https URL");
            }
            options = new WorkflowRuns.RunOptions(parameters, callback == null || callback.isNull() ? null : callback.asText());
        }
        runs.start(id, "manual", null, options, Bodies.caller(request));
        return Responses.ok();
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
        entities.delete(EntityType.WORKFLOW_INSTANCE, id);
        return Responses.ok();
    }
}
