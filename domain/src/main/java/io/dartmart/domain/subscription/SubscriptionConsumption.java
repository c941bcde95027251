package io.dartmart.domain.subscription;

import io.dartmart.domain.model.Entity;
import io.dartmart.domain.state.ActionState;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Which elements a consume_subscription action consumes, and what becomes of them. A run started by a
 * subscription_batch trigger carries its batch ({@code subscription_batch_id}), and its first consume_subscription
 * step for that subscription is assigned the batch when the run starts; any other consume_subscription action is
 * assigned every unconsumed element when its run starts (or, outside a workflow, when it is queued). Success marks
 * them CONSUMED; a final failure returns them to UNCONSUMED (a failure that will be retried keeps them, so the retry
 * consumes the same files); when the run ends, whatever it still holds is released.
 */
@Singleton
public class SubscriptionConsumption {
    /** The action type that consumes a subscription, in every engine that offers one. */
    public static final String ACTION_TYPE = "consume_subscription";
    /** Marks a run holding elements, so that ending other runs costs nothing. */
    public static final String HOLDS_ELEMENTS = "holds_subscription_elements";
    public static final String BATCH_ID = "subscription_batch_id";

    private final SubscriptionElements elements;

    public SubscriptionConsumption(SubscriptionElements elements) {
        this.elements = elements;
    }

    public static boolean consumes(Entity action) {
        return ACTION_TYPE.equals(action.text("action_type_name"));
    }

    /** A run's steps were created; answers whether any of them holds elements now. */
    public boolean assignRun(Connection c, String batchId, List<Entity> steps) throws SQLException {
        boolean holds = batchId != null;
        for (Entity step : steps) {
            if (!consumes(step)) {
                continue;
            }
            String subscriptionId = step.data().path("args").path("subscription_id").asText(null);
            if (subscriptionId == null) {
                continue;
            }
            if (batchId != null) {
                elements.assignBatch(c, step.id(), subscriptionId, batchId);
            } else {
                elements.assignUnconsumed(c, step.id(), subscriptionId);
                holds = true;
            }
        }
        return holds;
    }

    /** An action outside any workflow is being queued. */
    public void assignAdHoc(Connection c, String actionId, Entity action) throws SQLException {
        String subscriptionId = action.data().path("args").path("subscription_id").asText(null);
        if (consumes(action) && subscriptionId != null) {
            elements.assignUnconsumed(c, actionId, subscriptionId);
        }
    }

    /** An attempt of {@code action} ended in {@code to}. */
    public void attemptEnded(Connection c, Entity action, ActionState to) throws SQLException {
        if (!consumes(action)) {
            return;
        }
        if (to == ActionState.COMPLETED) {
            elements.consumed(c, action.id());
        } else if (to == ActionState.FAILED) {
            elements.unassign(c, action.id());
        }
    }

    /** A run ended, in any state. */
    public void runEnded(Connection c, Entity instance) throws SQLException {
        if (instance.data().path(HOLDS_ELEMENTS).asBoolean(false)) {
            elements.releaseRun(c, instance.id(), instance.text(BATCH_ID));
        }
    }
}
