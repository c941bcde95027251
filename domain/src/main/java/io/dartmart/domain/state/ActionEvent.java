package io.dartmart.domain.state;

/** What moves an action from one state to another. */
public enum ActionEvent {
    /** A user asks for an ad-hoc action to run (again). */
    ENQUEUE,
    /** A user takes a queued ad-hoc action back. */
    DEQUEUE,
    /** The engine worker launched an engine task for it. */
    LAUNCH,
    /** A pull-mode engine claimed it: launched and checked out in one step. */
    CLAIM,
    /** The engine checked it out. */
    CHECKOUT,
    /** The engine checked it in. */
    CHECKIN,
    /** The trigger worker applied a successful (or CONTINUE) outcome. */
    COMPLETE,
    /** The trigger worker applied a failed outcome. */
    FAIL,
    /** An attempt ended without success and a retry remains, or a launched task never checked it out. */
    REQUEUE,
    /** An attempt was lost, timed out or cancelled, and no retry remains. */
    ABANDON,
    /** Its instance failed or was cancelled before it ran. */
    SKIP,
    /** A failed instance is resumed: what failed or was skipped runs again. */
    RESUME
}
