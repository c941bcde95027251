package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.SchedulePoint;
import io.dartmart.domain.service.WorkflowRuns;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.subscription.SubscriptionConsumption;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The run after a failed run of a workflow with {@code retries_on_failure} left: a new instance with the next
 * {@code retry_num}, the same parameters and callback, and {@code trigger_id} naming the failed instance.
 */
@Singleton
public class RetryTrigger implements TriggerType {
    public static final String NAME = "retry";
    private static final Logger LOG = LoggerFactory.getLogger(RetryTrigger.class);
    private static final JsonNode SCHEMA = Schemas.parse("""
            {"type": "object", "required": ["workflow_id", "workflow_instance_id", "retry_num"],
             "properties": {"workflow_id": {"type": "string"}, "workflow_instance_id": {"type": "string"},
               "retry_num": {"type": "integer", "minimum": 1}}}""");

    private final EntityStore store;
    private final WorkflowRuns runs;

    public RetryTrigger(EntityStore store, WorkflowRuns runs) {
        this.store = store;
        this.runs = runs;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs a workflow again after a failed run, while retries_on_failure allows.";
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return SCHEMA;
    }

    @Override
    public boolean userCreatable() {
        return false;
    }

    @Override
    public void checkArgs(Connection connection, ObjectNode args) {
    }

    /** Starts the retry described by a PROCESS_TRIGGER message. */
    public void start(Connection c, JsonNode message) throws SQLException {
        String failedId = message.path("workflow_instance_id").asText();
        var failed = store.find(c, EntityType.WORKFLOW_INSTANCE, failedId);
        JsonNode parameters = failed.map(f -> f.data().get("parameters")).orElse(null);
        String callback = failed.map(f -> f.text("callback_url")).orElse(null);
        String user = failed.map(f -> f.text("user_id")).orElse(Caller.SYSTEM.userId());
        // a retry of a batch run consumes nothing new: the batch's files went back to the pool for a later batch
        String batch = failed.map(f -> f.text(SubscriptionConsumption.BATCH_ID)).orElse(null);
        try {
            runs.start(c, message.path("workflow_id").asText(), NAME, failedId, message.path("retry_num").asInt(1),
                    new WorkflowRuns.RunOptions(parameters == null || parameters.isNull() ? null : parameters, callback,
                            batch, failed.map(SchedulePoint::of).orElse(null)),
                    new Caller(user, Caller.SYSTEM.role(), null));
        } catch (InvalidInputException e) {
            LOG.info("no retry of workflow {} after instance {}: {}", message.path("workflow_id").asText(), failedId,
                    e.getMessage());
        }
    }
}
