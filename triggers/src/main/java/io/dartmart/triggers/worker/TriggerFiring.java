package io.dartmart.triggers.worker;

import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.WorkflowRuns;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.triggers.type.SuperTrigger;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Firing a trigger: each of its workflows gets one run (a workflow that is inactive or at its concurrency is skipped,
 * with the reason logged), then every ACTIVE super trigger that lists it hears of it.
 */
@Singleton
public class TriggerFiring {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerFiring.class);

    private final EntityStore store;
    private final WorkflowRuns runs;
    private final SuperTrigger supers;

    public TriggerFiring(EntityStore store, WorkflowRuns runs, SuperTrigger supers) {
        this.store = store;
        this.runs = runs;
        this.supers = supers;
    }

    /** Fires every ACTIVE trigger of {@code type} whose args field {@code field} is {@code value}. */
    public void fireMatching(Connection c, String type, String field, String value) throws SQLException {
        for (Entity t : store.all(c, EntityType.TRIGGER, ListQuery.of(List.of(Filter.eq("trigger_type_name", type),
                Filter.eq("state", "ACTIVE"), Filter.eq("args." + field, value))))) {
            fire(c, t);
        }
    }

    public void fire(Connection c, Entity trigger) throws SQLException {
        fire(c, trigger, WorkflowRuns.RunOptions.NONE, new HashSet<>());
    }

    /** Fires {@code trigger} with extras for its runs; answers how many of its workflows started a run. */
    public int fire(Connection c, Entity trigger, WorkflowRuns.RunOptions options) throws SQLException {
        return fire(c, trigger, options, new HashSet<>());
    }

    private int fire(Connection c, Entity trigger, WorkflowRuns.RunOptions options, Set<String> seen)
            throws SQLException {
        if (!seen.add(trigger.id())) {
            return 0;
        }
        int started = 0;
        Caller caller = new Caller(trigger.text("user_id") == null ? Caller.SYSTEM.userId() : trigger.text("user_id"),
                Role.ADMIN, null);
        for (var wf : trigger.data().path("workflow_ids")) {
            try {
                runs.start(c, wf.asText(), trigger.text("trigger_type_name"), trigger.id(), 0, options, caller);
                started++;
            } catch (InvalidInputException e) {
                // a batch that cannot start is offered again every few seconds: saying so each time is noise
                if (options.subscriptionBatchId() == null) {
                    LOG.info("trigger {} ({}) did not start workflow {}: {}", trigger.id(), trigger.text("name"),
                            wf.asText(), e.getMessage());
                } else {
                    LOG.debug("trigger {} ({}) did not start workflow {}: {}", trigger.id(), trigger.text("name"),
                            wf.asText(), e.getMessage());
                }
            }
        }
        // a batch that no workflow of this trigger took goes on to the super triggers this firing completes
        WorkflowRuns.RunOptions passed = started == 0 && options.subscriptionBatchId() != null
                ? WorkflowRuns.RunOptions.batch(options.subscriptionBatchId()) : WorkflowRuns.RunOptions.NONE;
        for (Entity s : supers.offer(c, trigger)) {
            fire(c, s, passed, seen);
        }
        return started;
    }
}
