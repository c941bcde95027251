package io.dartmart.engines.worker.launch;

import io.dartmart.domain.execution.LaunchedTasks;
import io.dartmart.domain.model.Entity;

import java.util.Map;

/**
 * Starts one engine task for one PENDING action. The task checks the action out with {@code DART_ACTION_ID}, works,
 * and checks it in; the launcher only starts it and, later, says whether it is still there.
 */
public interface Launcher extends LaunchedTasks {
    /**
     * Starts the task; {@code environment} holds {@code DART_ACTION_ID}, {@code DART_API_URL} and
     * {@code DART_API_KEY}. Answers a handle that identifies the task (a pid, a task ARN), stored on the action.
     * Throws {@link LaunchException} when the task could not be started.
     */
    String launch(Entity engine, Entity action, Map<String, String> environment) throws LaunchException;
}
