package io.dartmart.engines.noop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.engines.sdk.ActionContext;
import io.dartmart.engines.sdk.ActionHandler;
import io.dartmart.engines.sdk.DartEngine;
import io.dartmart.engines.sdk.RegistrationResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The original dart's {@code no_op_engine}, used to develop and test the platform itself. Every action sleeps for its
 * datastore's {@code action_sleep_time_in_seconds} (5 when unset), then succeeds; {@code fake_action_that_fails}
 * fails with {@value #FAILURE_MESSAGE}; {@code consume_subscription} reads the action's subscription elements first.
 *
 * <p>The registration (names, descriptions and schemas exactly as the reference has them, and the reference's
 * "workflow chaining demo" subgraph definition) is the resource {@code no_op_engine.json} next to this class; the
 * handlers are here.
 */
public final class NoOpEngine {
    public static final String NAME = "no_op_engine";
    /** The one datastore option. */
    public static final String SLEEP_OPTION = "action_sleep_time_in_seconds";
    public static final int DEFAULT_SLEEP_SECONDS = 5;
    public static final String FAKE_ACTION_THAT_SUCCEEDS = "fake_action_that_succeeds";
    public static final String FAKE_ACTION_THAT_FAILS = "fake_action_that_fails";
    public static final String FAKE_COPY_HDFS_TO_S3 = "fake_copy_hdfs_to_s3";
    public static final String FAKE_LOAD_DATASET = "fake_load_dataset";
    public static final String CONSUME_SUBSCRIPTION = "consume_subscription";
    /** The error_message of {@code fake_action_that_fails}, as the original's. */
    public static final String FAILURE_MESSAGE = FAKE_ACTION_THAT_FAILS + " failed as expected";

    static final String REGISTRATION_RESOURCE = "no_op_engine.json";
    private static final Logger LOG = LoggerFactory.getLogger(NoOpEngine.class);
    private static final RegistrationResource REGISTRATION =
            RegistrationResource.load(NoOpEngine.class, REGISTRATION_RESOURCE);

    private NoOpEngine() {
    }

    /**
     * A builder carrying the no_op engine's registration and handlers; add {@code apiUrl} and {@code apiKey} (and
     * any tuning), then {@code build()}.
     */
    public static DartEngine.Builder builder() {
        return REGISTRATION.builder(handlers());
    }

    /** The registration document: {@code name, description, options_json_schema, supported_action_types}. */
    public static ObjectNode registration() {
        return REGISTRATION.registration();
    }

    /** The handler of each action type, in registration order. */
    static Map<String, ActionHandler> handlers() {
        Map<String, ActionHandler> h = new LinkedHashMap<>();
        h.put(FAKE_ACTION_THAT_SUCCEEDS, NoOpEngine::sleepThenSucceed);
        h.put(FAKE_ACTION_THAT_FAILS, NoOpEngine::sleepThenFail);
        h.put(FAKE_COPY_HDFS_TO_S3, NoOpEngine::sleepThenSucceed);
        h.put(FAKE_LOAD_DATASET, NoOpEngine::sleepThenSucceed);
        h.put(CONSUME_SUBSCRIPTION, NoOpEngine::consumeSubscription);
        return h;
    }

    /**
     * How long an action sleeps: the datastore's {@value #SLEEP_OPTION}, or {@value #DEFAULT_SLEEP_SECONDS} seconds
     * when there is no datastore or it does not set a whole number of seconds (the API fills the schema's default, so
     * that is only the case for datastores stored before it had one).
     */
    public static Duration sleepTime(JsonNode datastoreArgs) {
        JsonNode value = datastoreArgs == null ? null : datastoreArgs.get(SLEEP_OPTION);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            return Duration.ofSeconds(DEFAULT_SLEEP_SECONDS);
        }
        return Duration.ofSeconds(Math.max(0, value.asLong()));
    }

    private static void sleep(ActionContext ctx) throws InterruptedException {
        Duration d = sleepTime(ctx.datastoreArgs());
        LOG.info("action {} ({}): sleeping for {} seconds", ctx.actionId(), ctx.actionTypeName(), d.toSeconds());
        ctx.sleep(d);
    }

    static void sleepThenSucceed(ActionContext ctx) throws InterruptedException {
        sleep(ctx);
    }

    static void sleepThenFail(ActionContext ctx) throws InterruptedException, ExpectedFailure {
        sleep(ctx);
        throw new ExpectedFailure(FAILURE_MESSAGE);
    }

    static void consumeSubscription(ActionContext ctx) throws Exception {
        sleep(ctx);
        long count = 0;
        for (JsonNode ignored : ctx.subscriptionElements()) {
            count++;
        }
        LOG.info("action {}: consuming subscription {}, size = {}", ctx.actionId(),
                ctx.actionArgs().path("subscription_id").asText(), count);
        ctx.progress(1.0);
    }

    /** The failure {@code fake_action_that_fails} is there to produce. */
    static final class ExpectedFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ExpectedFailure(String message) {
            super(message, null, false, false);
        }
    }
}
