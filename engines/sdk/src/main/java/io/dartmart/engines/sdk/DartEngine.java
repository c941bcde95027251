package io.dartmart.engines.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.engines.sdk.internal.ActionRunner;
import io.dartmart.engines.sdk.internal.ApiClient;
import io.dartmart.engines.sdk.internal.Json;
import io.dartmart.engines.sdk.internal.PullWorkerPool;
import io.dartmart.engines.sdk.internal.WorkPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A dart engine: its registration, its action handlers, and the two ways it takes work.
 *
 * <ul>
 *   <li><b>Pull mode</b> ({@link #startPullWorkers(int)}): long-lived threads long-poll the API for actions of this
 *       engine. For engines registered without a {@code launcher}.</li>
 *   <li><b>Launched mode</b> ({@link #runLaunched(String)}): dart started this process for one action, named by the
 *       environment variable {@code DART_ACTION_ID}; check it out, run it, check it in.</li>
 * </ul>
 *
 * Thread-safe; one HTTP client per engine. Build with {@link #builder()}.
 */
public final class DartEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DartEngine.class);
    private static final String NAME_PATTERN = "^[a-zA-Z0-9_-]+$";

    private final ApiClient api;
    private final String name;
    private final ObjectNode registration;
    private final List<ObjectNode> subgraphDefinitions;
    private final boolean launcherSet;
    private final boolean actionToken;
    private final ActionRunner runner;
    private final int pollWaitSeconds;
    private final int pullBatch;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration shutdownGrace;

    /**
     * How the server marks the keys of action tokens, the credentials of launched tasks: good for their one action,
     * not for registering.
     */
    private static final String ACTION_TOKEN_PREFIX = "dact_";

    private DartEngine(Builder b) {
        this.name = b.name;
        this.api = new ApiClient(b.apiUrl, b.apiKey, b.connectTimeout, b.requestTimeout);
        this.registration = registrationOf(b);
        this.subgraphDefinitions = List.copyOf(b.subgraphDefinitions);
        this.launcherSet = b.launcherSet;
        this.actionToken = b.apiKey != null && b.apiKey.startsWith(ACTION_TOKEN_PREFIX);
        this.pollWaitSeconds = b.pollWaitSeconds;
        this.pullBatch = b.pullBatch;
        this.backoffInitial = b.backoffInitial;
        this.backoffMax = b.backoffMax;
        this.shutdownGrace = b.shutdownGrace;
        Map<String, ActionHandler> handlers = new LinkedHashMap<>();
        b.actionTypes.forEach((type, t) -> handlers.put(type, t.handler));
        this.runner = new ActionRunner(api, name, handlers, b.heartbeatInterval, b.backoffInitial,
                b.backoffMax.compareTo(Duration.ofSeconds(10)) < 0 ? b.backoffMax : Duration.ofSeconds(10));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The engine's unique name. */
    public String name() {
        return name;
    }

    /**
     * The {@code data} this engine registers: {@code name}, {@code description}, {@code options_json_schema},
     * {@code supported_action_types} ({@code [{name, description, params_json_schema}]}) and, when set, {@code
     * launcher}. A copy: changing it changes nothing.
     */
    public ObjectNode registration() {
        return registration.deepCopy();
    }

    /**
     * Registers the engine: looks it up by name, then {@code POST /engine} when absent or {@code PUT /engine/{id}}
     * when present. Idempotent. On a PUT, fields of the stored registration this engine does not set are kept (an
     * operator's {@code launcher}, {@code ecs_task_definition}, {@code tags}); the ones it sets replace theirs.
     *
     * @return the stored engine envelope
     * @throws DartApiException when the API refuses (e.g. 403: the key is not this engine's; 400: a bad schema)
     */
    public JsonNode register() throws IOException, InterruptedException {
        Optional<JsonNode> found = api.findEngine(name);
        if (found.isEmpty()) {
            try {
                JsonNode created = api.createEngine(registration);
                LOG.info("engine {} registered ({})", name, created.path("id").asText());
                addSubgraphDefinitions(created.path("id").asText());
                return created;
            } catch (DartApiException e) {
                if (e.status() != 409) {
                    throw e;
                }
                // another copy of the engine registered it meanwhile: re-register over it
                found = api.findEngine(name);
                if (found.isEmpty()) {
                    throw e;
                }
            }
        }
        JsonNode current = found.get();
        String id = current.path("id").asText();
        ObjectNode data = current.path("data").isObject() ? (ObjectNode) current.get("data").deepCopy() : Json.object();
        data.setAll(registration);
        if (!launcherSet) {
            data.set("launcher", current.path("data").get("launcher"));
            if (data.get("launcher") == null) {
                data.remove("launcher");
            }
        }
        JsonNode updated = api.updateEngine(id, data);
        LOG.info("engine {} re-registered ({})", name, id);
        addSubgraphDefinitions(id);
        return updated;
    }

    /**
     * Adds the subgraph definitions the engine offers that it has not stored yet, by name. A definition already
     * stored is left as it is; two copies registering at once may both add one, and the API offers the newest of
     * the same name.
     */
    private void addSubgraphDefinitions(String engineId) throws IOException, InterruptedException {
        if (subgraphDefinitions.isEmpty()) {
            return;
        }
        Set<String> stored = api.subgraphDefinitionNames(engineId);
        for (ObjectNode definition : subgraphDefinitions) {
            if (!stored.contains(definition.path("name").asText())) {
                api.createSubgraphDefinition(engineId, definition);
                LOG.info("engine {}: subgraph definition '{}' added", name, definition.path("name").asText());
            }
        }
    }

    /**
     * Starts {@code workers} pull-mode threads: each long-polls for an action of this engine (20 s at a time by
     * default; or a batch, see {@link Builder#pullBatch}), runs its handler, checks it in together with taking the next
     * one, and polls again when there was none; when the API cannot be reached it waits (capped, exponential back-off)
     * and tries again. Close the answer to stop them.
     */
    public PullWorkers startPullWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker is needed, got " + workers);
        }
        return new PullWorkerPool(api, runner, name, pollWaitSeconds, pullBatch, backoffInitial, backoffMax,
                shutdownGrace)
                .start(workers);
    }

    /**
     * Launched mode: checks out {@code actionId} (which must be PENDING), runs its handler on the calling thread,
     * and checks the outcome in.
     *
     * @return true when the outcome (SUCCESS or FAILURE) was checked in; false when the check-in failed
     * @throws DartApiException when the check-out was refused (e.g. 400: the action is not PENDING)
     * @throws IOException when the API could not be reached for the check-out
     */
    public boolean runLaunched(String actionId) throws IOException, InterruptedException {
        Objects.requireNonNull(actionId, "actionId");
        long requested = System.nanoTime();
        WorkPackage work = WorkPackage.of(api.checkout(actionId), requested);
        return runner.execute(runner.newRun(work));
    }

    /** Whether the credential is a launched task's action token, which may not register the engine. */
    boolean holdsActionToken() {
        return actionToken;
    }

    private static ObjectNode registrationOf(Builder b) {
        ObjectNode data = Json.object();
        data.put("name", b.name);
        data.put("description", b.description);
        data.set("options_json_schema", b.optionsSchema == null ? null : b.optionsSchema.deepCopy());
        ArrayNode types = data.putArray("supported_action_types");
        b.actionTypes.forEach((typeName, t) -> {
            ObjectNode type = types.addObject();
            type.put("name", typeName);
            type.put("description", t.description);
            type.set("params_json_schema", t.paramsSchema == null ? null : t.paramsSchema.deepCopy());
        });
        if (b.launcherSet) {
            data.set("launcher", b.launcher == null ? null : b.launcher.deepCopy());
        }
        return data;
    }

    private record ActionTypeSpec(String description, JsonNode paramsSchema, ActionHandler handler) {
    }

    /** Builds a {@link DartEngine}; {@code apiUrl}, {@code apiKey} and {@code name} are required. */
    public static final class Builder {
        private URI apiUrl;
        private String apiKey;
        private String name;
        private String description;
        private JsonNode optionsSchema;
        private final Map<String, ActionTypeSpec> actionTypes = new LinkedHashMap<>();
        private final List<ObjectNode> subgraphDefinitions = new ArrayList<>();
        private JsonNode launcher;
        private boolean launcherSet;
        private int pollWaitSeconds = 20;
        private int pullBatch = 1;
        private Duration heartbeatInterval = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private Duration backoffInitial = Duration.ofSeconds(1);
        private Duration backoffMax = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The API server: {@code http://host:5000}, with or without the {@code /api/1} root. */
        public Builder apiUrl(URI apiUrl) {
            this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
            return this;
        }

        public Builder apiUrl(String apiUrl) {
            return apiUrl(URI.create(Objects.requireNonNull(apiUrl, "apiUrl")));
        }

        /**
         * {@code key:secret} of an API key of role {@code engine} for this engine (or of an admin), or the action
         * token dart gives a launched task in {@code DART_API_KEY}.
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = ApiClient.checkKey(apiKey);
            return this;
        }

        /** The engine's unique name: letters, digits, {@code _} and {@code -}. */
        public Builder name(String name) {
            if (name == null || !name.matches(NAME_PATTERN)) {
                throw new IllegalArgumentException("an engine name is letters, digits, '_' and '-', got " + name);
            }
            this.name = name;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** The JSON Schema of the {@code args} of this engine's datastores ({@code options_json_schema}). */
        public Builder optionsSchema(JsonNode schema) {
            this.optionsSchema = requireObjectOrNull(schema, "the options schema");
            return this;
        }

        /**
         * Adds an action type and its handler, in registration order.
         *
         * @param paramsSchema the JSON Schema of the {@code args} of actions of this type; null for none
         */
        public Builder actionType(String name, String description, JsonNode paramsSchema, ActionHandler handler) {
            if (name == null || !name.matches(NAME_PATTERN)) {
                throw new IllegalArgumentException("an action type name is letters, digits, '_' and '-', got " + name);
            }
            if (actionTypes.containsKey(name)) {
                throw new IllegalArgumentException("action type '" + name + "' is added twice");
            }
            actionTypes.put(name, new ActionTypeSpec(description,
                    requireObjectOrNull(paramsSchema, "the params schema of '" + name + "'"),
                    Objects.requireNonNull(handler, "the handler of '" + name + "'")));
            return this;
        }

        /**
         * Adds a graph template the engine offers the UI ({@code name, description, related_type, related_is_a,
         * workflows, actions, triggers...} with {@code UNSAVED-...} ids, as {@code POST
         * /engine/{id}/subgraph_definition} takes it); registration stores it unless one of that name is stored.
         */
        public Builder subgraphDefinition(JsonNode definition) {
            if (!(requireObjectOrNull(definition, "a subgraph definition") instanceof ObjectNode d)
                    || !d.path("name").isTextual()) {
                throw new IllegalArgumentException("a subgraph definition is an object with a name");
            }
            subgraphDefinitions.add(d.deepCopy());
            return this;
        }

        /**
         * How dart starts a task of this engine per action, e.g. {@code {"type": "local_process", "command": [...]}};
         * null for pull mode. Unset (the default), registration keeps whatever launcher is already stored.
         */
        public Builder launcher(JsonNode launcher) {
            this.launcher = requireObjectOrNull(launcher, "the launcher");
            this.launcherSet = true;
            return this;
        }

        /** How long one poll waits for work on the server, 1 to 50 seconds; 20 by default. */
        public Builder pollWaitSeconds(int seconds) {
            if (seconds < 1 || seconds > 50) {
                throw new IllegalArgumentException("the poll wait must be 1 to 50 seconds, got " + seconds);
            }
            this.pollWaitSeconds = seconds;
            return this;
        }

        /**
         * How many actions a pull worker takes per request, 1 to 100; 1 by default. Above 1, a worker runs its batch
         * one action after the other and checks the outcomes in together, taking the next batch in the same request:
         * fewer requests for engines with many short actions, but an action may wait for the ones before it in its
         * batch while another worker is idle. Every action held gets its heartbeat.
         */
        public Builder pullBatch(int actions) {
            if (actions < 1 || actions > 100) {
                throw new IllegalArgumentException("the pull batch must be 1 to 100 actions, got " + actions);
            }
            this.pullBatch = actions;
            return this;
        }

        /** How often a running action's heartbeat is sent; 10 s by default. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = atLeast(interval, Duration.ofMillis(10), "the heartbeat interval");
            return this;
        }

        /** Connect timeout of the HTTP client; 10 s by default. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = atLeast(timeout, Duration.ofMillis(1), "the connect timeout");
            return this;
        }

        /** Timeout of one API call (a poll gets its wait on top); 30 s by default. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = atLeast(timeout, Duration.ofMillis(1), "the request timeout");
            return this;
        }

        /** How long closing the pull workers waits for running actions before stopping them; 30 s by default. */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = atLeast(grace, Duration.ZERO, "the shutdown grace");
            return this;
        }

        /** The back-off after failed calls: first delay and cap; 1 s and 60 s by default. */
        public Builder retryBackoff(Duration initial, Duration max) {
            atLeast(initial, Duration.ofMillis(1), "the first back-off");
            if (max == null || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("the back-off cap must be at least the first delay");
            }
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        public DartEngine build() {
            if (apiUrl == null) {
                throw new IllegalStateException("apiUrl is required");
            }
            ApiClient.serverOf(apiUrl);
            if (apiKey == null) {
                throw new IllegalStateException("apiKey is required");
            }
            if (name == null) {
                throw new IllegalStateException("name is required");
            }
            return new DartEngine(this);
        }

        private static JsonNode requireObjectOrNull(JsonNode node, String what) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException(what + " must be a JSON object, got " + node.getNodeType());
            }
            return node;
        }

        private static Duration atLeast(Duration d, Duration min, String what) {
            if (d == null || d.compareTo(min) < 0) {
                throw new IllegalArgumentException(what + " must be at least " + min + ", got " + d);
            }
            return d;
        }
    }
}
