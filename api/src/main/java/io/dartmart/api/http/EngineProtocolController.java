package io.dartmart.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.auth.Allowed;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.schema.RequestSchemas;
import io.dartmart.api.work.WorkSignals;
import io.dartmart.domain.service.EngineProtocol;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.ArrayList;
import java.util.List;

import static io.dartmart.domain.auth.Role.ACTION_TOKEN;
import static io.dartmart.domain.auth.Role.ADMIN;
import static io.dartmart.domain.auth.Role.ENGINE;

/** The engine protocol: check out, heartbeat, check in; and the long poll of pull-mode engines. */
@Controller("/api/1/engine")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes(MediaType.APPLICATION_JSON)
public class EngineProtocolController {
    /** Waiters look again this often even without a signal, in case one was lost while reconnecting. */
    private static final long RECHECK_MILLIS = 5_000;

    private final EngineProtocol protocol;
    private final WorkSignals signals;

    public EngineProtocolController(EngineProtocol protocol, WorkSignals signals) {
        this.protocol = protocol;
        this.signals = signals;
    }

    @Allowed({ADMIN, ENGINE, ACTION_TOKEN})
    @Put("/action/{id}/checkout")
    public HttpResponse<String> checkout(String id, @Nullable @Body String ignored, HttpRequest<?> request) {
        return Responses.results(protocol.checkout(id, Bodies.caller(request)));
    }

    @Allowed({ADMIN, ENGINE, ACTION_TOKEN})
    @Put("/action/{id}/heartbeat")
    public HttpResponse<String> heartbeat(String id, @Nullable @Body String body, HttpRequest<?> request) {
        JsonNode attempt = body == null || body.isBlank() ? null
                : RequestSchemas.validate(RequestSchemas.HEARTBEAT, Bodies.json(body)).get("attempt");
        protocol.heartbeat(id, attempt == null || attempt.isNull() ? null : attempt.asInt(), Bodies.caller(request));
        return Responses.ok();
    }

    /**
     * Checks the action in. With {@code "poll": {"wait_seconds": N}} in the body, the answer also carries the engine's
     * next action as {@code next} (already checked out, or null when none came within the wait): a busy pull-mode
     * engine then needs one request per action instead of two.
     */
    @Allowed({ADMIN, ENGINE, ACTION_TOKEN})
    @Put("/action/{id}/checkin")
    public HttpResponse<String> checkin(String id, @Body String body, HttpRequest<?> request)
            throws InterruptedException {
        var json = RequestSchemas.validate(RequestSchemas.CHECKIN, Bodies.json(body));
        var caller = Bodies.caller(request);
        JsonNode poll = json.path("poll");
        boolean takeNext = poll.isObject();
        int wait = takeNext ? poll.path("wait_seconds").asInt() : 0;
        var checkin = protocol.checkin(id, json, caller, takeNext);
        var action = checkin.action();
        if (!takeNext) {
            return Responses.ok();
        }
        // when the claim in the check-in's own transaction found nothing, wait for work like a poll would
        var next = checkin.next().isPresent() || wait == 0 ? checkin.next()
                : awaitWork(action.text("engine_name"), caller, wait, request, 1).stream().findFirst();
        var out = Json.object();
        out.put("results", "OK");
        out.set("next", next.isPresent() ? next.get() : NullNode.getInstance());
        return HttpResponse.ok(Json.write(out)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /**
     * Pull mode: answers the next action of the engine, already checked out (RUNNING), or 204 when none came
     * within {@code wait_seconds}.
     */
    @Allowed({ADMIN, ENGINE})
    @Post("/{name}/action/poll")
    public HttpResponse<String> poll(String name, @Nullable @Body String body, HttpRequest<?> request)
            throws InterruptedException {
        int wait = RequestSchemas.validate(RequestSchemas.POLL,
                body == null || body.isBlank() ? Json.object() : Bodies.json(body)).path("wait_seconds").asInt();
        var work = awaitWork(name, Bodies.caller(request), wait, request, 1);
        return work.isEmpty() ? HttpResponse.noContent() : Responses.results(work.get(0));
    }

    /**
     * Pull mode in batches: checks in the outcomes of {@code checkins} and takes up to {@code max} next actions of the
     * engine, all in one transaction; when none is there, waits up to {@code wait_seconds} for some. Each outcome is
     * answered on its own: one that cannot be applied (the action is no longer RUNNING, say) leaves the others applied.
     */
    @Allowed({ADMIN, ENGINE, ACTION_TOKEN})
    @Post("/{name}/action/checkins")
    public HttpResponse<String> checkinBatch(String name, @Body String body, HttpRequest<?> request)
            throws InterruptedException {
        var json = RequestSchemas.validate(RequestSchemas.BATCH_CHECKIN, Bodies.json(body));
        var outcomes = outcomes(json.path("checkins"));
        int max = json.path("max").asInt();
        int wait = json.path("wait_seconds").asInt();
        var caller = Bodies.caller(request);
        var batch = protocol.checkin(name, outcomes, caller, max);
        var results = Json.array();
        for (int i = 0; i < outcomes.size(); i++) {
            var item = results.addObject().put("action_id", outcomes.get(i).actionId());
            var refusal = batch.refusals().get(i);
            if (refusal == null) {
                item.put("results", "OK");
            } else {
                item.put("results", "ERROR").put("status", refusal.status()).put("error_message", refusal.getMessage());
            }
        }
        var next = !batch.next().isEmpty() || max == 0 || wait == 0 ? batch.next()
                : awaitWork(name, caller, wait, request, max);
        var out = Json.object();
        out.set("results", results);
        out.set("next", Json.array().addAll(next));
        return HttpResponse.ok(Json.write(out)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** The outcomes of a validated batch body; none when {@code checkins} is missing or null. */
    private static List<EngineProtocol.Outcome> outcomes(JsonNode list) {
        List<EngineProtocol.Outcome> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            out.add(EngineProtocol.outcome(item.path("action_id").asText(), item, "/checkins/" + i));
        }
        return out;
    }

    /** Up to {@code max} next actions of the engine, checked out, as soon as there are some within {@code waitSeconds}. */
    private List<ObjectNode> awaitWork(String name, Caller caller, int waitSeconds, HttpRequest<?> request, int max)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitSeconds * 1_000L;
        while (true) {
            if (!connected(request)) {
                // the engine went away while waiting: taking an action now would strand it in RUNNING
                return List.of();
            }
            long seen = signals.generation(name);
            List<ObjectNode> work = protocol.claim(name, caller, max);
            if (!work.isEmpty()) {
                return work;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return List.of();
            }
            signals.await(name, seen, Math.min(left, RECHECK_MILLIS));
        }
    }

    /** Whether the client of a long poll is still there to receive an action. */
    private static boolean connected(HttpRequest<?> request) {
        return !(request instanceof NettyHttpRequest<?> netty)
                || netty.getChannelHandlerContext().channel().isActive();
    }
}
