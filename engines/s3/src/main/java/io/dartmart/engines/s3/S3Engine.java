package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.engines.sdk.ActionContext;
import io.dartmart.engines.sdk.ActionHandler;
import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.sdk.RegistrationResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code s3_engine}: {@code copy} copies objects between S3 locations server-side, skipping what the destination
 * already has; {@code data_check} fails unless an object has arrived under a (dated) prefix. The registration (names,
 * descriptions and schemas) is the resource {@code s3_engine.json} next to this class; the handlers are here.
 */
public final class S3Engine {
    public static final String NAME = "s3_engine";
    public static final String COPY = "copy";
    public static final String DATA_CHECK = "data_check";

    static final String REGISTRATION_RESOURCE = "s3_engine.json";
    private static final Logger LOG = LoggerFactory.getLogger(S3Engine.class);
    private static final RegistrationResource REGISTRATION =
            RegistrationResource.load(S3Engine.class, REGISTRATION_RESOURCE);

    private S3Engine() {
    }

    /** {@link #builder(S3Clients, Clock)} on the system clock. */
    public static DartEngine.Builder builder(S3Clients clients) {
        return builder(clients, Clock.systemUTC());
    }

    /**
     * A builder carrying the s3 engine's registration and handlers; add {@code apiUrl} and {@code apiKey} (and any
     * tuning), then {@code build()}.
     *
     * @param clients where the handlers get their S3 clients
     * @param clock   the time that fills data_check's date placeholders
     */
    public static DartEngine.Builder builder(S3Clients clients, Clock clock) {
        return REGISTRATION.builder(handlers(clients, clock));
    }

    /** The registration document: {@code name, description, options_json_schema, supported_action_types}. */
    public static ObjectNode registration() {
        return REGISTRATION.registration();
    }

    /** The handler of each action type, in registration order. */
    static Map<String, ActionHandler> handlers(S3Clients clients, Clock clock) {
        Map<String, ActionHandler> h = new LinkedHashMap<>();
        h.put(COPY, ctx -> copy(clients, ctx));
        h.put(DATA_CHECK, ctx -> dataCheck(clients, clock, ctx));
        return h;
    }

    private static void copy(S3Clients clients, ActionContext ctx) throws Exception {
        CopyArgs args = CopyArgs.of(ctx.actionArgs());
        CopyReport report = new S3Copy(clients.forDatastore(ctx.datastoreArgs()))
                .run(args, ctx::progress, ctx::isStopped);
        LOG.info("action {}: copy {} -> {}: {}", ctx.actionId(), args.from(), args.to(), report);
        ctx.progress(1.0);
    }

    private static void dataCheck(S3Clients clients, Clock clock, ActionContext ctx) throws Exception {
        DataCheck.Found found = DataCheck.run(clients.forDatastore(ctx.datastoreArgs()),
                DataCheckArgs.of(ctx.actionArgs()), clock.instant());
        LOG.info("action {}: data_check passed on {} ({} bytes; {} objects looked at)", ctx.actionId(), found.path(),
                found.size(), found.lookedAt());
        ctx.progress(1.0);
    }
}
