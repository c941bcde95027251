package io.dartmart.domain.state;

import io.dartmart.domain.error.ConflictException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Walks runs through their lives. As for actions, {@link #everyTransitionWasTaken} fails the class when a row of the
 * table is never visited, so a new row needs a test.
 */
class RunStateMachineTest {
    private record Move(RunState from, RunEvent event) {
    }

    private static final Set<Move> VISITED = new HashSet<>();

    private static RunState step(RunState from, RunEvent event) {
        RunState to = RunStateMachine.require(from, event, "I1");
        VISITED.add(new Move(from, event));
        return to;
    }

    @AfterAll
    static void everyTransitionWasTaken() {
        Set<Move> table = new HashSet<>();
        RunStateMachine.table().forEach((from, moves) -> moves.keySet().forEach(e -> table.add(new Move(from, e))));
        Set<Move> never = new HashSet<>(table);
        never.removeAll(VISITED);
        assertEquals(Set.of(), never, "transitions no test takes");
    }

    @Test
    void aRunStartsWithItsFirstActionAndCompletes() {
        assertEquals(COMPLETED, step(step(QUEUED, START), COMPLETE));
    }

    @Test
    void aRunWithoutStepsEndsBeforeItStarts() {
        assertEquals(COMPLETED, step(QUEUED, COMPLETE));
        assertEquals(FAILED, step(QUEUED, FAIL), "steps that cannot be ordered");
    }

    @Test
    void aFailedRunCanBeResumedAndFailAgain() {
        RunState s = step(step(QUEUED, START), FAIL);
        assertEquals(FAILED, s);
        assertEquals(RUNNING, step(s, RESUME));
    }

    @Test
    void queuedAndRunningRunsCanBeCancelled() {
        assertEquals(CANCELLED, step(QUEUED, CANCEL));
        assertEquals(CANCELLED, step(RUNNING, CANCEL));
    }

    @Test
    void endedRunsDoNotMove() {
        for (RunState ended : new RunState[]{COMPLETED, CANCELLED}) {
            for (RunEvent e : RunEvent.values()) {
                assertEquals(Optional.empty(), RunStateMachine.next(ended, e), ended + " " + e);
            }
        }
        for (RunState s : RunState.values()) {
            assertEquals(s == QUEUED || s == RUNNING, s.live(), s.name());
        }
    }

    @Test
    void illegalMovesAreAConflictSayingWhatIsAllowed() {
        Map<RunState, Map<RunEvent, RunState>> table = RunStateMachine.table();
        for (RunState from : RunState.values()) {
            for (RunEvent event : RunEvent.values()) {
                if (table.getOrDefault(from, Map.of()).containsKey(event)) {
                    continue;
                }
                ConflictException e = assertThrows(ConflictException.class,
                        () -> RunStateMachine.require(from, event, "I1"), from + " " + event);
                assertTrue(e.getMessage().startsWith("workflow instance 'I1' is " + from), e.getMessage());
            }
        }
        assertTrue(assertThrows(ConflictException.class, () -> RunStateMachine.require(COMPLETED, CANCEL, "I1"))
                .getMessage().endsWith("only a QUEUED or RUNNING run can be cancelled"));
        assertTrue(assertThrows(ConflictException.class, () -> RunStateMachine.require(RUNNING, RESUME, "I1"))
                .getMessage().endsWith("only a FAILED run can be resumed"));
    }
}
