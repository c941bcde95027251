package io.dartmart.engines.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dartmart.engines.sdk.ActionContext;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** One run of one action: the handler's {@link ActionContext}, and the stop signal its waits listen to. */
public final class ActionRun implements ActionContext {
    /** Elements asked per page of {@code /action/{id}/subscription/elements}. */
    static final int ELEMENTS_PAGE = 200;

    private final ApiClient api;
    private final WorkPackage work;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stoppedCondition = lock.newCondition();
    private volatile String stopReason;
    /**
     * When the latest request that the server answered as still ours was sent (the check-out, then each heartbeat):
     * the server's lease on the action runs from no earlier than that.
     */
    private volatile long confirmedNanos;
    /** Set once the run gave the action up for lack of contact: it is neither heartbeated nor checked in again. */
    private volatile boolean fenced;
    /** The thread running the handler; null before and after. Guarded by {@link #lock}. */
    private Thread handlerThread;

    public ActionRun(ApiClient api, WorkPackage work) {
        this.api = api;
        this.work = work;
        this.confirmedNanos = work.requestedNanos();
    }

    public WorkPackage work() {
        return work;
    }

    /** A heartbeat sent at {@code sentNanos} was answered: the lease runs on from then. */
    synchronized void confirmed(long sentNanos) {
        confirmedNanos = Math.max(confirmedNanos, sentNanos);
    }

    /** How long since the latest request the server answered as still ours was sent. */
    Duration unconfirmedFor() {
        return Duration.ofNanos(System.nanoTime() - confirmedNanos);
    }

    /** Gives the action up for lack of contact with the server, stopping its handler. */
    void fence(String reason) {
        fenced = true;
        stopAndInterrupt(reason);
    }

    boolean isFenced() {
        return fenced;
    }

    /** How long ago the request that handed this run's action out was sent. */
    Duration heldFor() {
        return Duration.ofNanos(System.nanoTime() - work.requestedNanos());
    }

    @Override
    public String actionId() {
        return work.actionId();
    }

    @Override
    public int attempt() {
        return work.attempt();
    }

    @Override
    public String actionTypeName() {
        return work.actionTypeName();
    }

    @Override
    public JsonNode actionArgs() {
        return work.actionArgs();
    }

    @Override
    public JsonNode datastoreArgs() {
        return work.datastoreArgs();
    }

    @Override
    public JsonNode parameters() {
        return work.parameters();
    }

    @Override
    public JsonNode action() {
        return work.action();
    }

    @Override
    public JsonNode datastore() {
        return work.datastore();
    }

    @Override
    public void progress(double fraction) throws IOException, InterruptedException {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress must be within [0, 1], got " + fraction);
        }
        api.patchAction(actionId(), progressPatch(fraction));
    }

    static ArrayNode progressPatch(double fraction) {
        ArrayNode patch = Json.array();
        patch.addObject().put("op", "add").put("path", "/data/progress").put("value", fraction);
        return patch;
    }

    @Override
    public Iterable<JsonNode> subscriptionElements() {
        return () -> new PagedElements(api, actionId(), ELEMENTS_PAGE);
    }

    @Override
    public JsonNode entity(String entityType, String id) throws IOException, InterruptedException {
        return api.entity(entityType, id);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot sleep a negative duration: " + duration);
        }
        long left = duration.toNanos();
        long deadline = System.nanoTime() + left;
        lock.lockInterruptibly();
        try {
            while (stopReason == null && left > 0) {
                stoppedCondition.awaitNanos(left);
                left = deadline - System.nanoTime();
            }
        } finally {
            lock.unlock();
        }
        throwIfStopped();
    }

    private void throwIfStopped() {
        String reason = stopReason;
        if (reason != null) {
            throw new CancellationException(reason);
        }
    }

    @Override
    public boolean isStopped() {
        return stopReason != null;
    }

    /** Why the run was stopped; null while it was not. */
    public String stopReason() {
        return stopReason;
    }

    /** Stops the run: waits end at once with {@link CancellationException}. Only the first reason is kept. */
    public void stop(String reason) {
        lock.lock();
        try {
            if (stopReason == null) {
                stopReason = reason;
            }
            stoppedCondition.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the run and interrupts its handler, if the handler is still running (never the check-in after it). */
    public void stopAndInterrupt(String reason) {
        stop(reason);
        lock.lock();
        try {
            if (handlerThread != null) {
                handlerThread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    void enterHandler() {
        lock.lock();
        try {
            handlerThread = Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    /** Leaves the handler; answers whether the thread was interrupted meanwhile, and clears that flag. */
    boolean leaveHandler() {
        lock.lock();
        try {
            handlerThread = null;
            return Thread.interrupted();
        } finally {
            lock.unlock();
        }
    }
}
