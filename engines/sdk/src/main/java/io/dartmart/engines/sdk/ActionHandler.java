package io.dartmart.engines.sdk;

/**
 * The work of one action type. Returning normally checks the action in as {@code SUCCESS}; throwing checks it in as
 * {@code FAILURE} with the exception's message as {@code error_message} (its class name when it has no message).
 *
 * <p>Handlers run on a worker thread of the engine, one action at a time per thread, and may block. Long handlers
 * should wait with {@link ActionContext#sleep(java.time.Duration)} and report {@link ActionContext#progress(double)};
 * the SDK sends heartbeats in the background while a handler runs.
 */
@FunctionalInterface
public interface ActionHandler {
    void run(ActionContext ctx) throws Exception;
}
