package io.dartmart.engines.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.engines.sdk.ActionHandler;
import io.dartmart.engines.sdk.DartApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs checked-out actions: the handler of the action's type with a heartbeat beside it, then the check-in of the
 * outcome. Shared by pull workers and launched mode; thread-safe.
 */
public final class ActionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ActionRunner.class);
    /** Check-in is the one call whose loss loses the outcome: it is retried this many times on transient errors. */
    private static final int CHECKIN_ATTEMPTS = 6;
    /** Heartbeat answers that mean the server no longer counts the action as ours and RUNNING. */
    private static final Set<Integer> GONE = Set.of(400, 403, 404);

    private final ApiClient api;
    private final String engineName;
    private final Map<String, ActionHandler> handlers;
    private final Duration heartbeatInterval;
    private final Duration checkinBackoffInitial;
    private final Duration checkinBackoffMax;
    private final ScheduledExecutorService heartbeats;

    public ActionRunner(ApiClient api, String engineName, Map<String, ActionHandler> handlers,
                        Duration heartbeatInterval, Duration checkinBackoffInitial, Duration checkinBackoffMax) {
        this.api = api;
        this.engineName = engineName;
        this.handlers = Map.copyOf(handlers);
        this.heartbeatInterval = heartbeatInterval;
        this.checkinBackoffInitial = checkinBackoffInitial;
        this.checkinBackoffMax = checkinBackoffMax;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dart-" + engineName + "-heartbeat");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.heartbeats = executor;
    }

    public ActionRun newRun(WorkPackage work) {
        return new ActionRun(api, work);
    }

    /**
     * Runs the handler on the calling thread and checks the outcome in. Answers whether the check-in succeeded; the
     * handler's own failure is an outcome like success, not an error of this method.
     */
    public boolean execute(ActionRun run) {
        return executeAndTakeNext(run, false).checkedIn();
    }

    /** What a run ended with: whether its check-in went through, and the next action when one was asked for. */
    public record Outcome(boolean checkedIn, Optional<WorkPackage> next) {
    }

    /**
     * Like {@link #execute}, and with {@code takeNext} the check-in also takes the engine's next action, which the
     * caller must run: it is already checked out.
     */
    public Outcome executeAndTakeNext(ActionRun run, boolean takeNext) {
        String id = run.actionId();
        String type = run.actionTypeName();
        ActionHandler handler = type == null ? null : handlers.get(type);
        LOG.info("action {} ({}) started", id, type);
        long started = System.nanoTime();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleWithFixedDelay(() -> beat(run),
                heartbeatInterval.toMillis(), heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
        boolean success = false;
        String error = null;
        Throwable fatal = null;
        boolean interrupted;
        run.enterHandler();
        try {
            if (handler == null) {
                throw new IllegalStateException("engine '" + engineName + "' has no handler for action type '" + type
                        + "'; it handles " + String.join(", ", new TreeSet<>(handlers.keySet())));
            }
            handler.run(run);
            success = true;
        } catch (Throwable t) {
            if (run.isStopped() && (t instanceof CancellationException || t instanceof InterruptedException)) {
                error = "the action was stopped before it finished: " + run.stopReason();
            } else {
                error = messageOf(t);
            }
            if (t instanceof VirtualMachineError) {
                fatal = t;
            }
            LOG.info("action {} ({}) failed: {}", id, type, error);
            LOG.debug("action {} ({}) failed", id, type, t);
        } finally {
            interrupted = run.leaveHandler();
            heartbeat.cancel(false);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Optional<Optional<JsonNode>> result = checkin(run, success, error, takeNext);
        boolean checkedIn = result.isPresent();
        if (checkedIn) {
            LOG.info("action {} ({}) checked in {} after {} ms", id, type, success ? "SUCCESS" : "FAILURE", millis);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (fatal instanceof Error e) {
            throw e;
        }
        return new Outcome(checkedIn, result.flatMap(next -> next).map(WorkPackage::of));
    }

    /** The error_message for a handler's exception: its message, or its class name when it has none. */
    public static String messageOf(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getName() : message;
    }

    private void beat(ActionRun run) {
        api.heartbeat(run.actionId()).whenComplete((answer, failure) -> {
            if (failure == null) {
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof DartApiException e && GONE.contains(e.status())) {
                LOG.warn("action {}: the server refused a heartbeat ({}); stopping the run", run.actionId(),
                        e.getMessage());
                run.stop("the server no longer counts it as RUNNING: " + e.errorMessage());
            } else {
                LOG.warn("action {}: a heartbeat failed: {}", run.actionId(), cause.toString());
            }
        });
    }

    /** Empty when the check-in failed; else the next action, when one was asked for and came. */
    private Optional<Optional<JsonNode>> checkin(ActionRun run, boolean success, String error, boolean takeNext) {
        String id = run.actionId();
        Backoff backoff = new Backoff(checkinBackoffInitial, checkinBackoffMax);
        boolean uncertain = false;
        for (int attempt = 1; ; attempt++) {
            try {
                // after an uncertain attempt, ask for no next action: a lost answer could have carried one
                return Optional.of(api.checkin(id, success, error, takeNext && !uncertain));
            } catch (DartApiException e) {
                if (uncertain && e.status() == 400 && alreadyCheckedIn(id)) {
                    // an earlier attempt reached the server although its answer was lost
                    return Optional.of(Optional.empty());
                }
                if (!e.isRetryable() || attempt >= CHECKIN_ATTEMPTS) {
                    LOG.error("action {}: check-in of {} refused: {}", id, success ? "SUCCESS" : "FAILURE",
                            e.getMessage());
                    return Optional.empty();
                }
                LOG.warn("action {}: check-in failed, retrying: {}", id, e.getMessage());
            } catch (IOException e) {
                uncertain = true;
                if (attempt >= CHECKIN_ATTEMPTS) {
                    LOG.error("action {}: check-in failed {} times, giving up: {}", id, attempt, e.toString());
                    return Optional.empty();
                }
                LOG.warn("action {}: check-in failed, retrying: {}", id, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.error("action {}: interrupted before its check-in went through", id);
                return Optional.empty();
            }
            try {
                Thread.sleep(backoff.next().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.error("action {}: interrupted before its check-in went through", id);
                return Optional.empty();
            }
        }
    }

    private boolean alreadyCheckedIn(String id) {
        try {
            String state = api.action(id).path("data").path("state").asText("");
            return Set.of("FINISHING", "COMPLETED", "FAILED").contains(state);
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
