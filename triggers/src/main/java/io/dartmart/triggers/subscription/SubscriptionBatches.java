package io.dartmart.triggers.subscription;

import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.service.WorkflowRuns;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.domain.subscription.SubscriptionElements;
import io.dartmart.triggers.type.SubscriptionBatchTrigger;
import io.dartmart.triggers.worker.TriggerFiring;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * subscription_batch triggers. A batch is reserved and its runs started in one transaction holding the
 * subscription's row lock: workers evaluating the same subscription at once take turns, so no element goes into two
 * batches, and a worker that dies mid-way leaves no batch behind (its transaction rolls back). A batch none of whose
 * workflows can start now (inactive, or at its concurrency) is not reserved; a later evaluation fires it. A trigger
 * with no workflows at all still fires, as a workflow_completion one does, since super triggers may list it: its
 * batch is reserved and goes to the runs of the super triggers its firing completes.
 */
@Singleton
public class SubscriptionBatches {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionBatches.class);
    /** Batches fired per subscription in one transaction, so a huge backlog does not hold the lock for long. */
    private static final int MAX_BATCHES_PER_ROUND = 50;

    private final Db db;
    private final EntityStore store;
    private final SubscriptionElements elements;
    private final TriggerFiring firing;

    public SubscriptionBatches(Db db, EntityStore store, SubscriptionElements elements, TriggerFiring firing) {
        this.db = db;
        this.store = store;
        this.elements = elements;
        this.firing = firing;
    }

    /** Evaluates every subscription that an ACTIVE subscription_batch trigger watches. */
    public void evaluateAll() {
        for (String id : watchedSubscriptions()) {
            evaluate(id);
        }
    }

    private List<String> watchedSubscriptions() {
        return db.read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT data -> 'args' ->> 'subscription_id'"
                    + " FROM trigger WHERE trigger_type_name = ? AND state = 'ACTIVE'")) {
                ps.setString(1, SubscriptionBatchTrigger.NAME);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    /** Fires the batches that the subscription's unconsumed files make up; answers how many. */
    public int evaluate(String subscriptionId) {
        int fired = 0;
        int round;
        do {
            round = db.tx(c -> evaluateRound(c, subscriptionId));
            fired += round;
        } while (round == MAX_BATCHES_PER_ROUND);
        return fired;
    }

    private int evaluateRound(Connection c, String subscriptionId) throws SQLException {
        Entity subscription = store.findForUpdate(c, EntityType.SUBSCRIPTION, subscriptionId).orElse(null);
        if (subscription == null || !"ACTIVE".equals(subscription.text("state"))) {
            return 0;
        }
        List<Entity> triggers = store.all(c, EntityType.TRIGGER, ListQuery.of(List.of(
                Filter.eq("trigger_type_name", SubscriptionBatchTrigger.NAME), Filter.eq("state", "ACTIVE"),
                Filter.eq("args.subscription_id", subscriptionId))));
        int fired = 0;
        for (Entity trigger : triggers) {
            long threshold = trigger.data().path("args").path("unconsumed_data_size_in_bytes").asLong();
            while (fired < MAX_BATCHES_PER_ROUND) {
                String batchId = Ids.newId();
                Savepoint before = c.setSavepoint();
                int reserved = elements.reserveBatch(c, subscriptionId, threshold, batchId);
                if (reserved == 0) {
                    c.releaseSavepoint(before);
                    break;
                }
                boolean startsNothing = trigger.data().path("workflow_ids").isEmpty();
                if (firing.fire(c, trigger, WorkflowRuns.RunOptions.batch(batchId)) == 0 && !startsNothing) {
                    c.rollback(before);
                    LOG.debug("subscription {}: a batch is ready but no workflow of trigger {} can start now",
                            subscriptionId, trigger.id());
                    break;
                }
                c.releaseSavepoint(before);
                LOG.info("subscription {}: trigger {} fired batch {} of {} file(s)", subscriptionId, trigger.id(),
                        batchId, reserved);
                fired++;
            }
        }
        return fired;
    }
}
