package io.dartmart.api.http;

import io.dartmart.domain.service.EngineProtocol;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Put;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** The engine protocol: check an action out, and check it back in with its outcome. */
@Controller("/api/1/engine/action")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
public class EngineProtocolController {
    private final EngineProtocol protocol;
    private final MeterRegistry meters;

    public EngineProtocolController(EngineProtocol protocol, MeterRegistry meters) {
        this.protocol = protocol;
        this.meters = meters;
    }

    @Put("/{id}/checkout")
    public HttpResponse<String> checkout(String id, @Nullable @Body String ignored, HttpRequest<?> request) {
        var result = protocol.checkout(id, Bodies.caller(request));
        // one tag set for every transition: Prometheus refuses a name whose series carry different label keys
        meters.counter("dart.action.transitions", "to", "RUNNING", "outcome", "none").increment();
        return Responses.results(result);
    }

    @Put("/{id}/checkin")
    public HttpResponse<String> checkin(String id, @Body String body, HttpRequest<?> request) {
        var action = protocol.checkin(id, Bodies.json(body), Bodies.caller(request));
        meters.counter("dart.action.transitions", "to", "FINISHING",
                "outcome", action.data().path("extra_data").path("checkin_state").asText()).increment();
        return Responses.ok();
    }
}
