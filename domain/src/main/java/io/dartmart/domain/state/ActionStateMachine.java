package io.dartmart.domain.state;

import io.dartmart.domain.error.InvalidInputException;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import static io.dartmart.domain.state.ActionEvent.CHECKIN;
import static io.dartmart.domain.state.ActionEvent.RESUME;
import static io.dartmart.domain.state.ActionEvent.ABANDON;
import static io.dartmart.domain.state.ActionEvent.REQUEUE;
import static io.dartmart.domain.state.ActionEvent.CLAIM;
import static io.dartmart.domain.state.ActionEvent.CHECKOUT;
import static io.dartmart.domain.state.ActionEvent.COMPLETE;
import static io.dartmart.domain.state.ActionEvent.DEQUEUE;
import static io.dartmart.domain.state.ActionEvent.ENQUEUE;
import static io.dartmart.domain.state.ActionEvent.FAIL;
import static io.dartmart.domain.state.ActionEvent.LAUNCH;
import static io.dartmart.domain.state.ActionEvent.SKIP;
import static io.dartmart.domain.state.ActionState.COMPLETED;
import static io.dartmart.domain.state.ActionState.FAILED;
import static io.dartmart.domain.state.ActionState.FINISHING;
import static io.dartmart.domain.state.ActionState.HAS_NEVER_RUN;
import static io.dartmart.domain.state.ActionState.PENDING;
import static io.dartmart.domain.state.ActionState.QUEUED;
import static io.dartmart.domain.state.ActionState.RUNNING;
import static io.dartmart.domain.state.ActionState.SKIPPED;

/**
 * Every legal move of an action, in one table. TEMPLATE has no moves: a workflow step is copied, never run.
 */
public final class ActionStateMachine {
    private static final Map<ActionState, Map<ActionEvent, ActionState>> TABLE = new EnumMap<>(ActionState.class);

    static {
        move(HAS_NEVER_RUN, ENQUEUE, QUEUED);
        move(COMPLETED, ENQUEUE, QUEUED);
        move(FAILED, ENQUEUE, QUEUED);
        move(SKIPPED, ENQUEUE, QUEUED);
        move(QUEUED, DEQUEUE, HAS_NEVER_RUN);
        move(QUEUED, LAUNCH, PENDING);
        move(QUEUED, CLAIM, RUNNING);
        move(PENDING, CHECKOUT, RUNNING);
        move(RUNNING, CHECKIN, FINISHING);
        move(FINISHING, COMPLETE, COMPLETED);
        move(FINISHING, FAIL, FAILED);
        move(FINISHING, REQUEUE, QUEUED);
        move(PENDING, REQUEUE, QUEUED);
        move(RUNNING, REQUEUE, QUEUED);
        move(PENDING, ABANDON, FAILED);
        move(RUNNING, ABANDON, FAILED);
        move(HAS_NEVER_RUN, SKIP, SKIPPED);
        move(QUEUED, SKIP, SKIPPED);
        move(PENDING, SKIP, SKIPPED);
        move(FAILED, RESUME, HAS_NEVER_RUN);
        move(SKIPPED, RESUME, HAS_NEVER_RUN);
    }

    private ActionStateMachine() {
    }

    private static void move(ActionState from, ActionEvent event, ActionState to) {
        if (TABLE.computeIfAbsent(from, f -> new EnumMap<>(ActionEvent.class)).put(event, to) != null) {
            throw new IllegalStateException("duplicate transition " + from + " " + event);
        }
    }

    public static Optional<ActionState> next(ActionState from, ActionEvent event) {
        return Optional.ofNullable(TABLE.getOrDefault(from, Map.of()).get(event));
    }

    /** The state after {@code event}; a 400 naming both states when the move is not legal. */
    public static ActionState require(ActionState from, ActionEvent event, String what) {
        return next(from, event).orElseThrow(() -> new InvalidInputException(
                what + ": cannot " + event.name().toLowerCase() + " an action in state " + from));
    }

    /**
     * The event behind a state change a user asks for in a PUT or PATCH; only queueing and unqueueing are theirs,
     * the rest belongs to engines and workers.
     */
    public static ActionEvent userEvent(ActionState from, ActionState to) {
        for (ActionEvent e : new ActionEvent[]{ENQUEUE, DEQUEUE}) {
            if (next(from, e).orElse(null) == to) {
                return e;
            }
        }
        throw new InvalidInputException("/data/state: an action in state " + from + " cannot be set to " + to
                + " by a client; QUEUED runs an ad-hoc action, HAS_NEVER_RUN takes a queued one back");
    }

    /** All transitions, for tests that check every one is exercised. */
    public static Map<ActionState, Map<ActionEvent, ActionState>> table() {
        return TABLE;
    }
}
