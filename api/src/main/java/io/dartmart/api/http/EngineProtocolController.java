package io.dartmart.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.model.Json;
import io.dartmart.api.work.WorkSignals;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.service.EngineProtocol;
import io.micrometer.core.instrument.MeterRegistry;
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

import java.util.Optional;

/** The engine protocol: check out, heartbeat, check in; and the long poll of pull-mode engines. */
@Controller("/api/1/engine")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
public class EngineProtocolController {
    /** Longest a poll may wait; load balancers commonly cut idle requests at 60 s. */
    static final int MAX_WAIT_SECONDS = 50;
    private static final int DEFAULT_WAIT_SECONDS = 20;
    /** Waiters look again this often even without a signal, in case one was lost while reconnecting. */
    private static final long RECHECK_MILLIS = 5_000;

    private final EngineProtocol protocol;
    private final WorkSignals signals;
    private final MeterRegistry meters;

    public EngineProtocolController(EngineProtocol protocol, WorkSignals signals, MeterRegistry meters) {
        this.protocol = protocol;
        this.signals = signals;
        this.meters = meters;
    }

    @Put("/action/{id}/checkout")
    public HttpResponse<String> checkout(String id, @Nullable @Body String ignored, HttpRequest<?> request) {
        var result = protocol.checkout(id, Bodies.caller(request));
        count("RUNNING", "none");
        return Responses.results(result);
    }

    @Put("/action/{id}/heartbeat")
    public HttpResponse<String> heartbeat(String id, @Nullable @Body String ignored, HttpRequest<?> request) {
        protocol.heartbeat(id, Bodies.caller(request));
        return Responses.ok();
    }

    /**
     * Checks the action in. With {@code "poll": {"wait_seconds": N}} in the body, the answer also carries the engine's
     * next action as {@code next} (already checked out, or null when none came within the wait): a busy pull-mode
     * engine then needs one request per action instead of two.
     */
    @Put("/action/{id}/checkin")
    public HttpResponse<String> checkin(String id, @Body String body, HttpRequest<?> request)
            throws InterruptedException {
        var json = Bodies.json(body);
        var caller = Bodies.caller(request);
        JsonNode poll = json.get("poll");
        if (poll != null && !poll.isNull() && !poll.isObject()) {
            throw new InvalidInputException("/poll: must be an object such as {\"wait_seconds\": 0}");
        }
        boolean takeNext = poll != null && poll.isObject();
        int wait = takeNext ? waitSeconds(poll.get("wait_seconds"), "/poll") : 0;
        var checkin = protocol.checkin(id, json, caller, takeNext);
        var action = checkin.action();
        count(action.text("state"), json.path("state").asText());
        if (!takeNext) {
            return Responses.ok();
        }
        // when the claim in the check-in's own transaction found nothing, wait for work like a poll would
        var next = checkin.next().isPresent() || wait == 0 ? checkin.next()
                : awaitWork(action.text("engine_name"), caller, wait, request);
        if (checkin.next().isPresent()) {
            count("RUNNING", "none");
        }
        var out = Json.object();
        out.put("results", "OK");
        out.set("next", next.isPresent() ? next.get() : NullNode.getInstance());
        return HttpResponse.ok(Json.write(out)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /**
     * Pull mode: answers the next action of the engine, already checked out (RUNNING), or 204 when none came
     * within {@code wait_seconds}.
     */
    @Post("/{name}/action/poll")
    public HttpResponse<String> poll(String name, @Nullable @Body String body, HttpRequest<?> request)
            throws InterruptedException {
        int wait = body == null || body.isBlank() ? DEFAULT_WAIT_SECONDS
                : waitSeconds(Bodies.json(body).get("wait_seconds"), "");
        var work = awaitWork(name, Bodies.caller(request), wait, request);
        return work.isPresent() ? Responses.results(work.get()) : HttpResponse.noContent();
    }

    private static int waitSeconds(JsonNode w, String where) {
        if (w == null || w.isNull()) {
            return where.isEmpty() ? DEFAULT_WAIT_SECONDS : 0;
        }
        if (!w.canConvertToInt() || w.asInt() < 0 || w.asInt() > MAX_WAIT_SECONDS) {
            throw new InvalidInputException(where + "/wait_seconds: must be an integer from 0 to " + MAX_WAIT_SECONDS);
        }
        return w.asInt();
    }

    /** The engine's next action, checked out, as soon as there is one within {@code waitSeconds}. */
    private Optional<ObjectNode> awaitWork(String name, Caller caller, int waitSeconds, HttpRequest<?> request)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitSeconds * 1_000L;
        while (true) {
            if (!connected(request)) {
                // the engine went away while waiting: taking an action now would strand it in RUNNING
                return Optional.empty();
            }
            long seen = signals.generation(name);
            Optional<ObjectNode> work = protocol.claim(name, caller);
            if (work.isPresent()) {
                count("RUNNING", "none");
                return work;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return Optional.empty();
            }
            signals.await(name, seen, Math.min(left, RECHECK_MILLIS));
        }
    }

    /** Whether the client of a long poll is still there to receive an action. */
    private static boolean connected(HttpRequest<?> request) {
        return !(request instanceof NettyHttpRequest<?> netty)
                || netty.getChannelHandlerContext().channel().isActive();
    }

    private void count(String to, String outcome) {
        // one tag set for every transition: Prometheus refuses a name whose series carry different label keys
        meters.counter("dart.action.transitions", "to", to, "outcome", outcome).increment();
    }
}
