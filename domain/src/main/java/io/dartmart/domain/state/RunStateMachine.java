package io.dartmart.domain.state;

import io.dartmart.domain.error.ConflictException;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import static io.dartmart.domain.state.RunEvent.CANCEL;
import static io.dartmart.domain.state.RunEvent.COMPLETE;
import static io.dartmart.domain.state.RunEvent.FAIL;
import static io.dartmart.domain.state.RunEvent.RESUME;
import static io.dartmart.domain.state.RunEvent.START;
import static io.dartmart.domain.state.RunState.CANCELLED;
import static io.dartmart.domain.state.RunState.COMPLETED;
import static io.dartmart.domain.state.RunState.FAILED;
import static io.dartmart.domain.state.RunState.QUEUED;
import static io.dartmart.domain.state.RunState.RUNNING;

/**
 * Every legal move of a run, in one table. A run is created QUEUED; a run without steps completes (or fails, when
 * its steps cannot be ordered) before any starts.
 */
public final class RunStateMachine {
    private static final Map<RunState, Map<RunEvent, RunState>> TABLE = new EnumMap<>(RunState.class);

    static {
        move(QUEUED, START, RUNNING);
        move(QUEUED, COMPLETE, COMPLETED);
        move(RUNNING, COMPLETE, COMPLETED);
        move(QUEUED, FAIL, FAILED);
        move(RUNNING, FAIL, FAILED);
        move(QUEUED, CANCEL, CANCELLED);
        move(RUNNING, CANCEL, CANCELLED);
        move(FAILED, RESUME, RUNNING);
    }

    private RunStateMachine() {
    }

    private static void move(RunState from, RunEvent event, RunState to) {
        if (TABLE.computeIfAbsent(from, f -> new EnumMap<>(RunEvent.class)).put(event, to) != null) {
            throw new IllegalStateException("duplicate transition " + from + " " + event);
        }
    }

    public static Optional<RunState> next(RunState from, RunEvent event) {
        return Optional.ofNullable(TABLE.getOrDefault(from, Map.of()).get(event));
    }

    /** The state after {@code event}; a 409 naming the state when the move is not legal (the run moved on). */
    public static RunState require(RunState from, RunEvent event, String instanceId) {
        return next(from, event).orElseThrow(() -> new ConflictException("workflow instance '" + instanceId + "' is "
                + from + "; " + (event == CANCEL ? "only a QUEUED or RUNNING run can be cancelled"
                : event == RESUME ? "only a FAILED run can be resumed" : "it cannot " + event.name().toLowerCase())));
    }

    /** All transitions, for tests that check every one is exercised. */
    public static Map<RunState, Map<RunEvent, RunState>> table() {
        return TABLE;
    }
}
