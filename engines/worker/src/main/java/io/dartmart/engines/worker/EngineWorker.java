package io.dartmart.engines.worker;

import io.dartmart.domain.execution.ActionOutcomes;
import io.dartmart.domain.execution.ActionQueue;
import io.dartmart.domain.execution.LaunchedTasks;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.ActionTokens;
import io.dartmart.domain.state.ActionEvent;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.Listener;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.engines.worker.launch.LaunchException;
import io.dartmart.engines.worker.launch.Launcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts engine tasks for the queued actions of engines that are launched per action (a local process or an ECS
 * task): claims an action (QUEUED -> PENDING, under its datastore's concurrency, SKIP LOCKED across workers), then
 * launches the task, which checks the action out. It wakes on the queue's NOTIFY; pull-mode engines need none of it.
 */
public class EngineWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineWorker.class);
    private static final int WAIT_MS = 2_000;

    private final Db db;
    private final EntityStore store;
    private final ActionQueue queue;
    private final ActionOutcomes outcomes;
    private final Map<String, Launcher> launchers = new HashMap<>();
    private final ActionTokens tokens;
    private final String apiUrl;
    private volatile Listener listener;
    private volatile boolean running = true;

    public EngineWorker(Db db, EntityStore store, ActionQueue queue, ActionOutcomes outcomes, List<Launcher> launchers,
                        ActionTokens tokens, String apiUrl) {
        this.db = db;
        this.store = store;
        this.queue = queue;
        this.outcomes = outcomes;
        launchers.forEach(l -> this.launchers.put(l.type(), l));
        this.tokens = tokens;
        this.apiUrl = apiUrl;
    }

    public EngineWorker start() {
        listener = Listener.start(db, "dart-engine-worker", ActionQueue.CHANNEL, Duration.ofMillis(WAIT_MS),
                (n, r) -> launchAll());
        return this;
    }

    /** Launches a task for every action that can run now; answers how many. */
    public int launchAll() {
        int launched = 0;
        for (Entity engine : db.read(c -> store.all(c, EntityType.ENGINE, ListQuery.of(List.of())))) {
            Launcher launcher = LaunchedTasks.typeOf(engine).map(launchers::get).orElse(null);
            if (launcher == null) {
                continue;
            }
            while (running) {
                // the token is issued with the claim: no moment where the action is PENDING with an older token
                Optional<Map.Entry<Entity, String>> claimed = db.tx(c -> {
                    Optional<Entity> action = queue.claim(c, engine.text("name"), ActionEvent.LAUNCH);
                    return action.isEmpty() ? Optional.empty() : Optional.of(Map.entry(action.get(),
                            tokens.issue(c, action.get())));
                });
                if (claimed.isEmpty()) {
                    break;
                }
                launch(engine, launcher, claimed.get().getKey(), claimed.get().getValue());
                launched++;
            }
        }
        return launched;
    }

    private void launch(Entity engine, Launcher launcher, Entity action, String token) {
        try {
            String handle = launcher.launch(engine, action, Launcher.environment(engine, Map.of(
                    "DART_ACTION_ID", action.id(), "DART_API_URL", apiUrl, "DART_API_KEY", token)));
            db.tx(c -> {
                Entity current = store.getForUpdate(c, EntityType.ACTION, action.id());
                var data = current.data().deepCopy();
                data.put("launch_handle", handle);
                if ("ecs".equals(launcher.type())) {
                    data.put("ecs_task_arn", handle);
                }
                return store.update(c, current, data);
            });
        } catch (LaunchException e) {
            LOG.warn("could not launch action {} of {}: {}", action.id(), engine.text("name"), e.getMessage());
            db.tx(c -> outcomes.endIfStill(c, action.id(), EnumSet.of(ActionState.PENDING),
                    ActionOutcomes.Ending.LOST, "the engine task could not be launched: " + e.getMessage()));
        }
    }

    @Override
    public void close() {
        running = false;
        if (listener != null) {
            listener.close();
        }
    }
}
