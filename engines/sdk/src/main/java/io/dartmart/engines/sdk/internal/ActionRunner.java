package io.dartmart.engines.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.engines.sdk.ActionHandler;
import io.dartmart.engines.sdk.DartApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * Runs checked-out actions: the handler of the action's type, heartbeats while the action is held, then the check-in
 * of the outcomes. Shared by pull workers and launched mode; thread-safe.
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
     * Launched mode: runs the handler on the calling thread and checks the outcome in. Answers whether the check-in
     * succeeded; the handler's own failure is an outcome like success, not an error of this method.
     */
    public boolean execute(ActionRun run) {
        return executeAll(List.of(run), () -> 0).checkedIn() == 1;
    }

    /** What a batch of runs ended with: how many outcomes were checked in, and the next actions when asked for. */
    public record Outcome(int checkedIn, List<WorkPackage> next) {
    }

    /**
     * Runs the handlers of {@code runs} one after the other on the calling thread, heartbeating every run held, then
     * checks all outcomes in with one request that also takes up to {@code takeNext} (asked at check-in time) next
     * actions, which the caller must run: they are already checked out. A run stopped before its turn is not started
     * and fails.
     */
    public Outcome executeAll(List<ActionRun> runs, IntSupplier takeNext) {
        List<ScheduledFuture<?>> beats = new ArrayList<>();
        for (ActionRun run : runs) {
            beats.add(heartbeats.scheduleWithFixedDelay(() -> beat(run), heartbeatInterval.toMillis(),
                    heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS));
        }
        List<Handled> handled = new ArrayList<>();
        boolean interrupted = false;
        Error fatal = null;
        try {
            for (ActionRun run : runs) {
                if (fatal != null) {
                    run.stop("the worker failed on an earlier action: " + fatal);
                }
                Handled h = handle(run);
                interrupted |= h.interrupted();
                fatal = fatal == null ? h.fatal() : fatal;
                handled.add(h);
            }
        } finally {
            beats.forEach(b -> b.cancel(false));
        }
        Outcome result = checkin(handled, fatal == null ? takeNext.getAsInt() : 0);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (fatal != null) {
            throw fatal;
        }
        return result;
    }

    /**
     * A handler's outcome, what it was (for the log), whether its thread was interrupted meanwhile, and the fatal error
     * it threw, if any.
     */
    private record Handled(ActionRun run, ApiClient.Outcome outcome, String description, long millis,
                           boolean interrupted, Error fatal) {
    }

    private Handled handle(ActionRun run) {
        String id = run.actionId();
        String type = run.actionTypeName();
        confirmStillHeld(run);
        if (run.isStopped()) {
            String error = "the action was stopped before it started: " + run.stopReason();
            return new Handled(run, new ApiClient.Outcome(id, run.attempt(), false, error), id + " (" + type + ")", 0,
                    false, null);
        }
        ActionHandler handler = type == null ? null : handlers.get(type);
        LOG.info("action {} ({}) started", id, type);
        long started = System.nanoTime();
        boolean success = false;
        String error = null;
        Error fatal = null;
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
            if (t instanceof VirtualMachineError e) {
                fatal = e;
            }
            LOG.info("action {} ({}) failed: {}", id, type, error);
            LOG.debug("action {} ({}) failed", id, type, t);
        } finally {
            interrupted = run.leaveHandler();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return new Handled(run, new ApiClient.Outcome(id, run.attempt(), success, error), id + " (" + type + ")",
                millis, interrupted, fatal);
    }

    /** The error_message for a handler's exception: its message, or its class name when it has none. */
    public static String messageOf(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getName() : message;
    }

    /**
     * A run that waited longer than a heartbeat period since its checkout (behind earlier actions of its batch, or in
     * a process that was suspended) may have been given to another engine meanwhile: one heartbeat, awaited, tells
     * before its handler starts, instead of racing the periodic one. Only a refusal stops it; an unanswered heartbeat
     * leaves the decision to the server as before.
     */
    private void confirmStillHeld(ActionRun run) {
        if (run.isStopped() || run.heldFor().compareTo(heartbeatInterval) <= 0) {
            return;
        }
        // a run that went unconfirmed for nearly the server's timeout (its process was suspended while the action
        // was handed out) gives it up unasked: a server of the original's protocol cannot tell its attempt from a
        // later one, and this one's heartbeat would be refused anyway
        if (pastLease(run)) {
            return;
        }
        long sent = System.nanoTime();
        try {
            api.heartbeat(run.actionId(), run.attempt()).get(heartbeatInterval.toMillis() * 2, TimeUnit.MILLISECONDS);
            run.confirmed(sent);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DartApiException refused) {
                refused(run, refused);
            }
        } catch (TimeoutException e) {
            LOG.warn("action {}: no answer to the heartbeat before its start", run.actionId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The server counts an action lost once no heartbeat reached it for its timeout, and hands it out again; checked
     * once a heartbeat period, a run gives it up a period before that (fences itself), so that two engines never
     * work on it. Answers whether it did.
     */
    private boolean pastLease(ActionRun run) {
        Duration timeout = run.work().heartbeatTimeout();
        Duration unconfirmed = run.unconfirmedFor();
        if (timeout == null || unconfirmed.compareTo(timeout.minus(heartbeatInterval)) <= 0) {
            return false;
        }
        LOG.warn("action {}: no heartbeat answered for {} ms, near the server's heartbeat timeout of {} s; giving the"
                + " action up", run.actionId(), unconfirmed.toMillis(), timeout.toSeconds());
        run.fence("no heartbeat reached the server for " + unconfirmed.toMillis() + " ms, near its heartbeat timeout"
                + " of " + timeout.toMillis() + " ms; it hands the action to another engine");
        return true;
    }

    private void beat(ActionRun run) {
        if (run.isFenced()) {
            return;
        }
        if (pastLease(run)) {
            return;
        }
        long sent = System.nanoTime();
        api.heartbeat(run.actionId(), run.attempt()).whenComplete((answer, failure) -> {
            if (failure == null) {
                run.confirmed(sent);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (!(cause instanceof DartApiException e && refused(run, e))) {
                LOG.warn("action {}: a heartbeat failed: {}", run.actionId(), cause.toString());
            }
        });
    }

    /**
     * A refused heartbeat: when the action is no longer RUNNING (cancelled, say) the run stops and checks its
     * failure in; when another attempt of it began (409), this one was counted lost and its action is another
     * engine's, so the run gives it up without checking in. Answers whether the refusal was either.
     */
    private static boolean refused(ActionRun run, DartApiException e) {
        if (e.status() == 409) {
            LOG.warn("action {}: attempt {} was superseded ({}); giving the action up", run.actionId(), run.attempt(),
                    e.getMessage());
            run.fence("the server handed the action out again: " + e.errorMessage());
            return true;
        }
        if (GONE.contains(e.status())) {
            LOG.warn("action {}: the server refused a heartbeat ({}); stopping the run", run.actionId(), e.getMessage());
            run.stop("the server no longer counts it as RUNNING: " + e.errorMessage());
            return true;
        }
        return false;
    }

    /** Checks the outcomes in, retrying transient failures; answers how many went through, and the next actions. */
    private Outcome checkin(List<Handled> all, int takeNext) {
        // a fenced run's action is the server's to hand out again as lost work: checking in its FAILURE would
        // count the platform's loss as the user's failure
        List<Handled> handled = all.stream().filter(h -> !h.run().isFenced()).toList();
        if (handled.isEmpty() && takeNext == 0) {
            return new Outcome(0, List.of());
        }
        List<ApiClient.Outcome> outcomes = handled.stream().map(Handled::outcome).toList();
        Backoff backoff = new Backoff(checkinBackoffInitial, checkinBackoffMax);
        boolean uncertain = false;
        for (int attempt = 1; ; attempt++) {
            try {
                // after an uncertain attempt, ask for no next action: a lost answer could have carried some
                long sent = System.nanoTime();
                ApiClient.Batch answer = api.checkin(engineName, outcomes, uncertain ? 0 : takeNext, 0);
                return new Outcome(settled(handled, answer.refusals(), uncertain),
                        answer.next().stream().map(n -> WorkPackage.of(n, sent)).toList());
            } catch (DartApiException e) {
                // 409: the transaction collided with a concurrent one and was rolled back whole; it can be sent again
                if (!(e.isRetryable() || e.status() == 409) || attempt >= CHECKIN_ATTEMPTS) {
                    LOG.error("check-in of {} refused: {}", ids(outcomes), e.getMessage());
                    return new Outcome(0, List.of());
                }
                LOG.warn("check-in of {} failed, retrying: {}", ids(outcomes), e.getMessage());
            } catch (IOException e) {
                uncertain = true;
                if (attempt >= CHECKIN_ATTEMPTS) {
                    LOG.error("check-in of {} failed {} times, giving up: {}", ids(outcomes), attempt, e.toString());
                    return new Outcome(0, List.of());
                }
                LOG.warn("check-in of {} failed, retrying: {}", ids(outcomes), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.error("interrupted before the check-in of {} went through", ids(outcomes));
                return new Outcome(0, List.of());
            }
            try {
                Thread.sleep(backoff.next().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.error("interrupted before the check-in of {} went through", ids(outcomes));
                return new Outcome(0, List.of());
            }
        }
    }

    /** Logs each outcome's fate; answers how many were checked in. */
    private int settled(List<Handled> handled, List<DartApiException> refusals, boolean uncertain) {
        int checkedIn = 0;
        for (int i = 0; i < handled.size(); i++) {
            ApiClient.Outcome o = handled.get(i).outcome();
            DartApiException refusal = refusals.get(i);
            // an earlier attempt may have reached the server although its answer was lost
            if (refusal == null || (uncertain && refusal.status() == 400 && alreadyCheckedIn(o.actionId()))) {
                LOG.info("action {} checked in {} after {} ms", handled.get(i).description(),
                        o.success() ? "SUCCESS" : "FAILURE", handled.get(i).millis());
                checkedIn++;
            } else {
                LOG.error("action {}: check-in of {} refused: {}", o.actionId(), o.success() ? "SUCCESS" : "FAILURE",
                        refusal.getMessage());
            }
        }
        return checkedIn;
    }

    private static List<String> ids(List<ApiClient.Outcome> outcomes) {
        return outcomes.stream().map(ApiClient.Outcome::actionId).toList();
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
