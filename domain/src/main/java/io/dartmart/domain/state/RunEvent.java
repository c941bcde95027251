package io.dartmart.domain.state;

/** What moves a run from one state to another. */
public enum RunEvent {
    /** Its first action started. */
    START,
    /** Nothing is left to run and nothing failed that halts it. */
    COMPLETE,
    /** A step failed and halts it, or its steps cannot be ordered. */
    FAIL,
    /** A user cancelled it. */
    CANCEL,
    /** A user resumed it after it failed. */
    RESUME
}
