package io.dartmart.domain.execution;

import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.RunEvent;
import io.dartmart.domain.state.RunState;
import io.dartmart.domain.state.RunStateMachine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * Counts state changes of actions and runs where they are made ({@code dart_action_transitions_total{to, outcome}},
 * {@code dart_run_transitions_total{to}}), in whichever process makes them. A process without a metrics registry
 * counts into Micrometer's global one, which keeps nothing unless a registry is added to it.
 */
@Singleton
public class Transitions {
    /** The outcome tag of moves that have none (queueing, claiming, skipping). */
    public static final String NO_OUTCOME = "none";

    private final MeterRegistry registry;

    public Transitions(@Nullable MeterRegistry registry) {
        this.registry = registry == null ? Metrics.globalRegistry : registry;
    }

    /** {@code count} actions moved to {@code to}. */
    public void action(ActionState to, String outcome, int count) {
        if (count > 0) {
            // one tag set for every transition: Prometheus refuses a name whose series carry different label keys
            registry.counter("dart.action.transitions", "to", to.name(), "outcome", outcome).increment(count);
        }
    }

    public void action(ActionState to, String outcome) {
        action(to, outcome, 1);
    }

    /** The state of a run after {@code event}, counted; a 409 when the move is not legal. */
    public RunState run(RunState from, RunEvent event, String instanceId) {
        RunState to = RunStateMachine.require(from, event, instanceId);
        runs(to, 1);
        return to;
    }

    /** {@code count} runs moved to {@code to}. */
    public void runs(RunState to, int count) {
        if (count > 0) {
            registry.counter("dart.run.transitions", "to", to.name()).increment(count);
        }
    }
}
