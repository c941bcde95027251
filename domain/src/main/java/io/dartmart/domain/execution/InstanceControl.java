package io.dartmart.domain.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.state.ActionEvent;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.ActionStateMachine;
import io.dartmart.domain.state.RunEvent;
import io.dartmart.domain.state.RunState;
import io.dartmart.domain.state.RunStateMachine;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.util.List;

/** What a user does to a run: cancel it while it is queued or running, resume it after it failed. */
@Singleton
public class InstanceControl {
    private final Db db;
    private final EntityStore store;
    private final InstanceProgress progress;
    private final Transitions transitions;

    public InstanceControl(Db db, EntityStore store, InstanceProgress progress, Transitions transitions) {
        this.db = db;
        this.store = store;
        this.progress = progress;
        this.transitions = transitions;
    }

    /**
     * CANCELLED: steps not started are skipped, running ones are failed as cancelled (their engine's late check-in is
     * refused, since they are no longer RUNNING).
     */
    public Entity cancel(String instanceId) {
        return db.tx(c -> {
            Entity instance = store.getForUpdate(c, EntityType.WORKFLOW_INSTANCE, instanceId);
            RunStateMachine.require(RunState.valueOf(instance.text("state")), RunEvent.CANCEL, instanceId);
            List<Entity> actions = progress.actionsOf(c, instanceId);
            progress.skipNotStarted(c, actions);
            for (Entity a : actions) {
                Entity locked = store.getForUpdate(c, EntityType.ACTION, a.id());
                if (ActionState.valueOf(locked.text("state")) == ActionState.RUNNING) {
                    ObjectNode data = locked.data().deepCopy();
                    ActionState to = ActionStateMachine.require(ActionState.RUNNING, ActionEvent.ABANDON, a.id());
                    data.put("state", to.name());
                    data.put("error_message", "cancelled");
                    store.update(c, locked, data);
                    transitions.action(to, "CANCELLED");
                }
            }
            return progress.end(c, instance, RunEvent.CANCEL, "cancelled");
        });
    }

    /**
     * Runs a FAILED instance again from where it failed: failed and skipped steps go back to HAS_NEVER_RUN and the
     * run moves on from there; completed steps are not run again.
     */
    public Entity resume(String instanceId) {
        return db.tx(c -> {
            Entity instance = store.getForUpdate(c, EntityType.WORKFLOW_INSTANCE, instanceId);
            RunState resumed = transitions.run(RunState.valueOf(instance.text("state")), RunEvent.RESUME, instanceId);
            for (Entity a : progress.actionsOf(c, instanceId)) {
                ActionState s = ActionState.valueOf(a.text("state"));
                if (s == ActionState.FAILED || s == ActionState.SKIPPED) {
                    Entity locked = store.getForUpdate(c, EntityType.ACTION, a.id());
                    ObjectNode data = locked.data().deepCopy();
                    ActionState to = ActionStateMachine.require(s, ActionEvent.RESUME, a.id());
                    data.put("state", to.name());
                    data.put("attempt", 0);
                    data.put("lost_attempts", 0);
                    data.putNull("error_message");
                    data.putNull("not_before");
                    store.update(c, locked, data);
                    transitions.action(to, Transitions.NO_OUTCOME);
                }
            }
            ObjectNode data = instance.data().deepCopy();
            data.put("state", resumed.name());
            data.putNull("end_time");
            data.putNull("error_message");
            progress.advance(c, store.update(c, instance, data));
            return store.get(c, EntityType.WORKFLOW_INSTANCE, instanceId);
        });
    }
}
