package io.dartmart.domain.execution;

import io.dartmart.domain.model.Entity;

import java.util.Optional;

/**
 * What the lost-work sweeper asks of a launcher: whether the task it started for an action is still there. Engines
 * launched per action name a {@code launcher.type}; pull-mode engines have none and are watched by their heartbeats.
 */
public interface LaunchedTasks {
    /** The {@code launcher.type} of engines this launcher serves, e.g. {@code local_process} or {@code ecs}. */
    String type();

    /** Empty while the task behind {@code handle} may still be running; its stop reason once it is gone. */
    Optional<String> stoppedReason(Entity engine, String handle);

    /** The launcher type of an engine: its launcher.type, or ecs when it names an ECS task definition. */
    static Optional<String> typeOf(Entity engine) {
        String type = engine.data().path("launcher").path("type").asText(null);
        if (type != null) {
            return Optional.of(type);
        }
        return engine.text("ecs_task_definition_arn") != null ? Optional.of("ecs") : Optional.empty();
    }
}
