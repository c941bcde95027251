package io.dartmart.api.http;

import com.fasterxml.jackson.databind.JsonNode;
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

    @Put("/action/{id}/checkin")
    public HttpResponse<String> checkin(String id, @Body String body, HttpRequest<?> request) {
        var action = protocol.checkin(id, Bodies.json(body), Bodies.caller(request));
        count(action.text("state"), Bodies.json(body).path("state").asText());
        return Responses.ok();
    }

    /**
     * Pull mode: answers the next action of the engine, already checked out (RUNNING), or 204 when none came
     * within {@code wait_seconds}.
     */
    @Post("/{name}/action/poll")
    public HttpResponse<String> poll(String name, @Nullable @Body String body, HttpRequest<?> request)
            throws InterruptedException {
        int wait = DEFAULT_WAIT_SECONDS;
        if (body != null && !body.isBlank()) {
            JsonNode w = Bodies.json(body).get("wait_seconds");
            if (w != null && !w.isNull()) {
                if (!w.canConvertToInt() || w.asInt() < 0 || w.asInt() > MAX_WAIT_SECONDS) {
                    throw new InvalidInputException("/wait_seconds: must be an integer from 0 to " + MAX_WAIT_SECONDS);
                }
                wait = w.asInt();
            }
        }
        var caller = Bodies.caller(request);
        long deadline = System.currentTimeMillis() + wait * 1_000L;
        while (true) {
            if (!connected(request)) {
                // the engine went away while waiting: taking an action now would strand it in RUNNING
                return HttpResponse.noContent();
            }
            long seen = signals.generation(name);
            Optional<com.fasterxml.jackson.databind.node.ObjectNode> work = protocol.claim(name, caller);
            if (work.isPresent()) {
                count("RUNNING", "none");
                return Responses.results(work.get());
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return HttpResponse.noContent();
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
