package io.dartmart.domain.state;

import io.dartmart.domain.error.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.dartmart.domain.state.ActionEvent.CHECKIN;
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
import static io.dartmart.domain.state.ActionState.TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks actions through their lives. Every legal move must be taken by some test: {@link #everyTransitionWasTaken}
 * fails the class when a row of the table is never visited, so a new row needs a test. (It therefore only holds
 * when the whole class runs, not a single method.)
 */
class ActionStateMachineTest {
    private record Move(ActionState from, ActionEvent event) {
    }

    private static final Set<Move> VISITED = new HashSet<>();

    /** Takes one legal move and records it. */
    private static ActionState step(ActionState from, ActionEvent event) {
        ActionState to = ActionStateMachine.require(from, event, "/test");
        VISITED.add(new Move(from, event));
        return to;
    }

    @AfterAll
    static void everyTransitionWasTaken() {
        Set<Move> table = new HashSet<>();
        ActionStateMachine.table().forEach((from, moves) -> moves.keySet().forEach(e -> table.add(new Move(from, e))));
        Set<Move> never = new HashSet<>(table);
        never.removeAll(VISITED);
        assertEquals(Set.of(), never, "transitions no test takes");
        assertEquals(table, VISITED);
    }

    @Test
    void anAdHocActionRunsToCompletion() {
        ActionState s = HAS_NEVER_RUN;
        s = step(s, ENQUEUE);
        assertEquals(QUEUED, s);
        s = step(s, LAUNCH);
        assertEquals(PENDING, s);
        s = step(s, CHECKOUT);
        assertEquals(RUNNING, s);
        s = step(s, CHECKIN);
        assertEquals(FINISHING, s);
        s = step(s, COMPLETE);
        assertEquals(COMPLETED, s);
    }

    @Test
    void aPullModeEngineClaimsAndChecksOutInOneMove() {
        assertEquals(RUNNING, step(QUEUED, ActionEvent.CLAIM));
    }

    @Test
    void aFailedAttemptWithRetriesLeftIsQueuedAgain() {
        assertEquals(QUEUED, step(step(RUNNING, CHECKIN), ActionEvent.REQUEUE));
        assertEquals(QUEUED, step(RUNNING, ActionEvent.REQUEUE), "lost work with retries left");
        assertEquals(QUEUED, step(PENDING, ActionEvent.REQUEUE), "a task that never checked out");
    }

    @Test
    void lostWorkWithoutRetriesFails() {
        assertEquals(ActionState.FAILED, step(RUNNING, ActionEvent.ABANDON));
        assertEquals(ActionState.FAILED, step(PENDING, ActionEvent.ABANDON));
    }

    @Test
    void resumingARunResetsWhatFailedOrWasSkipped() {
        assertEquals(HAS_NEVER_RUN, step(ActionState.FAILED, ActionEvent.RESUME));
        assertEquals(HAS_NEVER_RUN, step(ActionState.SKIPPED, ActionEvent.RESUME));
        assertThrows(io.dartmart.domain.error.InvalidInputException.class,
                () -> ActionStateMachine.require(COMPLETED, ActionEvent.RESUME, "/test"), "completed steps are not re-run");
    }

    @Test
    void aFailedActionCanBeRunAgain() {
        ActionState s = step(step(step(step(QUEUED, LAUNCH), CHECKOUT), CHECKIN), FAIL);
        assertEquals(FAILED, s);
        assertEquals(QUEUED, step(s, ENQUEUE));
    }

    @Test
    void finishedActionsCanBeQueuedAgain() {
        assertEquals(QUEUED, step(COMPLETED, ENQUEUE));
        assertEquals(QUEUED, step(SKIPPED, ENQUEUE));
    }

    @Test
    void aQueuedActionCanBeTakenBack() {
        assertEquals(HAS_NEVER_RUN, step(QUEUED, DEQUEUE));
    }

    @Test
    void actionsThatHaveNotStartedAreSkipped() {
        assertEquals(SKIPPED, step(HAS_NEVER_RUN, SKIP));
        assertEquals(SKIPPED, step(QUEUED, SKIP));
        assertEquals(SKIPPED, step(PENDING, SKIP));
    }

    @Test
    void startedOrFinishedActionsAreNotSkipped() {
        // skipping a running action would lose the engine's checkin
        for (ActionState s : List.of(RUNNING, FINISHING, COMPLETED, FAILED, SKIPPED, TEMPLATE)) {
            assertEquals(Optional.empty(), ActionStateMachine.next(s, SKIP), s.toString());
        }
    }

    @Test
    void aTemplateHasNoMoves() {
        for (ActionEvent e : ActionEvent.values()) {
            assertEquals(Optional.empty(), ActionStateMachine.next(TEMPLATE, e), e.toString());
        }
    }

    @Test
    void illegalMovesAreRejectedNamingStateAndEvent() {
        InvalidInputException checkout = assertThrows(InvalidInputException.class,
                () -> ActionStateMachine.require(TEMPLATE, CHECKOUT, "action 'A1'"));
        assertEquals(400, checkout.status());
        assertEquals("action 'A1': cannot checkout an action in state TEMPLATE", checkout.getMessage());

        InvalidInputException enqueue = assertThrows(InvalidInputException.class,
                () -> ActionStateMachine.require(RUNNING, ENQUEUE, "/data/state"));
        assertTrue(enqueue.getMessage().contains("enqueue") && enqueue.getMessage().contains("RUNNING"),
                enqueue.getMessage());
    }

    @Test
    void everyMoveOutsideTheTableIsRejected() {
        Map<ActionState, Map<ActionEvent, ActionState>> table = ActionStateMachine.table();
        for (ActionState from : ActionState.values()) {
            for (ActionEvent event : ActionEvent.values()) {
                if (table.getOrDefault(from, Map.of()).containsKey(event)) {
                    continue;
                }
                InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> ActionStateMachine.require(from, event, "/x"), from + " " + event);
                assertTrue(e.getMessage().contains(from.name())
                        && e.getMessage().contains(event.name().toLowerCase()), e.getMessage());
            }
        }
    }

    @Test
    void engineCannotCheckOutTwiceOrCheckInWhatItDidNotCheckOut() {
        assertThrows(InvalidInputException.class, () -> ActionStateMachine.require(RUNNING, CHECKOUT, "/x"));
        assertThrows(InvalidInputException.class, () -> ActionStateMachine.require(PENDING, CHECKIN, "/x"));
        assertThrows(InvalidInputException.class, () -> ActionStateMachine.require(QUEUED, CHECKOUT, "/x"));
        assertThrows(InvalidInputException.class, () -> ActionStateMachine.require(RUNNING, COMPLETE, "/x"));
    }

    @Test
    void clientsMayOnlyQueueAndUnqueue() {
        Set<ActionState> requeueable = EnumSet.of(HAS_NEVER_RUN, COMPLETED, FAILED, SKIPPED);
        for (ActionState from : ActionState.values()) {
            for (ActionState to : ActionState.values()) {
                boolean allowed = (to == QUEUED && requeueable.contains(from)) || (from == QUEUED && to == HAS_NEVER_RUN);
                if (allowed) {
                    ActionEvent e = ActionStateMachine.userEvent(from, to);
                    assertEquals(to == QUEUED ? ENQUEUE : DEQUEUE, e, from + " -> " + to);
                    assertEquals(to, ActionStateMachine.next(from, e).orElseThrow());
                } else {
                    InvalidInputException ex = assertThrows(InvalidInputException.class,
                            () -> ActionStateMachine.userEvent(from, to), from + " -> " + to);
                    assertTrue(ex.getMessage().startsWith("/data/state: an action in state " + from
                            + " cannot be set to " + to), ex.getMessage());
                }
            }
        }
    }

    @Test
    void clientsCannotDriveEngineOrWorkerMoves() {
        // legal moves, but not the client's to make
        assertThrows(InvalidInputException.class, () -> ActionStateMachine.userEvent(QUEUED, PENDING));
        assertThrows(InvalidInputException.class, () -> ActionStateMachine.userEvent(FINISHING, COMPLETED));
        assertThrows(InvalidInputException.class, () -> ActionStateMachine.userEvent(PENDING, SKIPPED));
        assertThrows(InvalidInputException.class, () -> ActionStateMachine.userEvent(TEMPLATE, QUEUED));
    }
}
