package io.dartmart.domain.execution;

/** The calls that travel on the trigger queue. */
public final class Calls {
    /** A trigger fired, or an external event arrived: {@code {trigger_type_name, trigger_id?, message?}}. */
    public static final String PROCESS_TRIGGER = "PROCESS_TRIGGER";
    /** Look again at what an instance can run next: {@code {workflow_instance_id}}. */
    public static final String TRY_NEXT_ACTION = "TRY_NEXT_ACTION";
    /** Apply the outcome of an action left in FINISHING: {@code {action_id}}. */
    public static final String COMPLETE_ACTION = "COMPLETE_ACTION";
    /** A run started: {@code {workflow_instance_id}}; for its e-mails. */
    public static final String RUN_STARTED = "RUN_STARTED";
    /** A run ended: {@code {workflow_instance_id, state}}; completion triggers, callback, e-mails. */
    public static final String RUN_ENDED = "RUN_ENDED";
    /** An action ended: {@code {action_id, state}}; for its e-mails. */
    public static final String ACTION_ENDED = "ACTION_ENDED";

    /** A subscription's listing ended: {@code {subscription_id, state, elements_added}}; for its e-mails. */
    public static final String SUBSCRIPTION_ENDED = "SUBSCRIPTION_ENDED";

    private Calls() {
    }
}
