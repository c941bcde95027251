package io.dartmart.engines.sdk;

/**
 * The pull-mode worker threads of an engine, from {@link DartEngine#startPullWorkers(int)}. Closing stops them.
 */
public interface PullWorkers extends AutoCloseable {
    /** How many worker threads were started. */
    int size();

    /** How many workers are running an action right now. */
    int busy();

    /**
     * Stops the workers and waits for their threads. Polls in flight are abandoned at once and no new action is
     * taken; actions being worked on get the engine's shutdown grace ({@link DartEngine.Builder#shutdownGrace}) to
     * finish and check in, after which they are stopped (see {@link ActionContext#sleep}) and checked in as FAILURE.
     * Idempotent.
     *
     * <p>A poll abandoned at the very moment the server hands it an action leaves that action RUNNING with nobody on
     * it; the server's lost-work detection (missing heartbeats) has to take it back.
     */
    @Override
    void close();
}
