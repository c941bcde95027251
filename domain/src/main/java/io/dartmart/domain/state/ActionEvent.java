package io.dartmart.domain.state;

/** What moves an action from one state to another. */
public enum ActionEvent {
    /** A user asks for an ad-hoc action to run (again). */
    ENQUEUE,
    /** A user takes a queued ad-hoc action back. */
    DEQUEUE,
    /** The engine worker launched an engine task for it. */
    LAUNCH,
    /** The engine checked it out. */
    CHECKOUT,
    /** The engine checked it in. */
    CHECKIN,
    /** The trigger worker applied a successful (or CONTINUE) outcome. */
    COMPLETE,
    /** The trigger worker applied a failed outcome. */
    FAIL,
    /** Its instance failed or was cancelled before it ran. */
    SKIP
}
