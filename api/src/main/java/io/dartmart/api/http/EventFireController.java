package io.dartmart.api.http;

import io.dartmart.api.auth.Allowed;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.Calls;
import io.dartmart.domain.execution.Outbox;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.EDITOR;

/**
 * Fires an event for systems that cannot write to the trigger queue: the same message as an SQS event, queued through
 * the outbox, so it is processed exactly like one.
 */
@Controller("/api/1/event")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
public class EventFireController {
    private final Db db;
    private final EntityStore store;
    private final Outbox outbox;

    public EventFireController(Db db, EntityStore store, Outbox outbox) {
        this.db = db;
        this.store = store;
        this.outbox = outbox;
    }

    @Allowed({ADMIN, EDITOR})
    @Post("/{id}/fire")
    public HttpResponse<String> fire(String id, @Nullable @Body String body) {
        ObjectNode message = Json.object();
        if (body != null && !body.isBlank()) {
            var json = Bodies.json(body);
            if (!json.isObject()) {
                throw new InvalidInputException("the body must be an object such as {\"message\": {...}}");
            }
            if (json.get("message") instanceof ObjectNode extra) {
                message.setAll(extra);
            }
        }
        message.put("event_id", id);
        db.tx(c -> {
            var event = store.get(c, EntityType.EVENT, id);
            if (!"ACTIVE".equals(event.text("state"))) {
                throw new InvalidInputException("event '" + id + "' is " + event.text("state")
                        + "; only an ACTIVE event fires");
            }
            ObjectNode fields = Json.object();
            fields.put("trigger_type_name", "event");
            fields.set("message", message);
            outbox.add(c, Calls.PROCESS_TRIGGER, fields);
            return null;
        });
        return Responses.ok();
    }
}
