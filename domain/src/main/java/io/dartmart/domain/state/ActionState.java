package io.dartmart.domain.state;

/** The states of an action, spelled as on the wire. */
public enum ActionState {
    TEMPLATE, HAS_NEVER_RUN, QUEUED, PENDING, RUNNING, FINISHING, COMPLETED, FAILED, SKIPPED
}
