package io.dartmart.engines.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * What a handler knows about the action it runs, and what it can tell the API while it runs. One context per action
 * run; the JSON it answers is what the server sent at check-out (secrets in clear), so never log it whole.
 */
public interface ActionContext {
    /** The action's id. */
    String actionId();

    /**
     * Which time this action is handed out, from 1. Work lost to the platform (a missed heartbeat, a crash) is handed
     * out again, so an action may run more than once: an effect that must happen once is keyed by
     * {@link #actionId()} and this number, or made idempotent (write to a path named by the action id, replace
     * rather than append).
     */
    int attempt();

    /** The action's {@code action_type_name}, one the engine registered. */
    String actionTypeName();

    /** The action's {@code args}, with the defaults of its type's schema filled in; an empty object when it has none. */
    JsonNode actionArgs();

    /** The {@code args} of the action's datastore (the engine's options); null when the action has no datastore. */
    JsonNode datastoreArgs();

    /** The {@code parameters} of the workflow run the action belongs to (e.g. a manual run's); null when none. */
    JsonNode parameters();

    /** The whole action envelope {@code {id, version_id, created, updated, data}} as checked out. */
    JsonNode action();

    /** The whole datastore envelope; null when the action has none (or it was deleted). */
    JsonNode datastore();

    /**
     * Reports progress: {@code PATCH /action/{id}} with {@code [{"op": "add", "path": "/data/progress", "value": f}]}.
     *
     * @param fraction from 0 (nothing done) to 1 (all done)
     * @throws IllegalArgumentException when {@code fraction} is not within [0, 1]
     * @throws DartApiException when the API refuses the patch
     */
    void progress(double fraction) throws IOException, InterruptedException;

    /**
     * The subscription elements assigned to this action (a {@code consume_subscription} action), read page by page
     * from {@code GET /action/{id}/subscription/elements} as the iteration goes. Each call to {@code iterator()}
     * starts again from the first page. Failures surface while iterating, as {@link DartApiException} or
     * {@link java.io.UncheckedIOException}.
     */
    Iterable<JsonNode> subscriptionElements();

    /**
     * Reads an entity the action's args refer to, e.g. {@code entity("dataset", datasetId)}: {@code GET
     * /{entityType}/{id}}, the envelope {@code {id, version_id, created, updated, data}} (secrets masked).
     *
     * @throws DartApiException when the API refuses (404: no such entity)
     */
    JsonNode entity(String entityType, String id) throws IOException, InterruptedException;

    /**
     * Waits for {@code duration}, but stops early when the run is stopped: the engine is shutting down and its grace
     * period is over, or the server no longer counts the action as RUNNING (a heartbeat was refused, e.g. the run
     * was cancelled).
     *
     * @throws CancellationException when the run was stopped; the SDK then checks the action in as FAILURE
     * @throws InterruptedException when the thread was interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /** Whether the run was stopped (see {@link #sleep(Duration)}); long loops should check it and give up. */
    boolean isStopped();
}
