package io.dartmart.domain.state;

/** The states of a workflow instance (a run), spelled as on the wire. */
public enum RunState {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    /** Whether the run may still change by itself: QUEUED or RUNNING. */
    public boolean live() {
        return this == QUEUED || this == RUNNING;
    }
}
