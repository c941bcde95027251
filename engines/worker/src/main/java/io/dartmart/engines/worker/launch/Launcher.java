package io.dartmart.engines.worker.launch;

import io.dartmart.domain.execution.LaunchedTasks;
import io.dartmart.domain.model.Entity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts one engine task for one PENDING action. The task checks the action out with {@code DART_ACTION_ID}, works,
 * and checks it in; the launcher only starts it and, later, says whether it is still there.
 */
public interface Launcher extends LaunchedTasks {
    /**
     * Starts the task with exactly {@code environment} (see {@link #environment}), nothing of the worker's own.
     * Answers a handle that identifies the task (a pid, a task ARN), stored on the action.
     * Throws {@link LaunchException} when the task could not be started.
     */
    String launch(Entity engine, Entity action, Map<String, String> environment) throws LaunchException;

    /**
     * A task's whole environment: the variables the engine's {@code launcher.environment} names, then
     * {@code DART_ACTION_ID}, {@code DART_API_URL} and {@code DART_API_KEY} (the action's token) over them. Never the
     * worker's own environment, which holds the platform's secrets.
     */
    static Map<String, String> environment(Entity engine, Map<String, String> action) {
        Map<String, String> env = new LinkedHashMap<>();
        engine.data().path("launcher").path("environment").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.putAll(action);
        return env;
    }

}
