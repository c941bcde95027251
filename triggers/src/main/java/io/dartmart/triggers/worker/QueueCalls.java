package io.dartmart.triggers.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.execution.ActionOutcomes;
import io.dartmart.domain.execution.Calls;
import io.dartmart.domain.execution.InstanceProgress;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.service.WorkflowRuns;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.triggers.type.EventTrigger;
import io.dartmart.triggers.type.RetryTrigger;
import io.dartmart.triggers.type.WorkflowCompletionTrigger;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;

/** The trigger worker's own handlers: what each queue call does to the database. */
@Factory
public class QueueCalls {
    private static final Logger LOG = LoggerFactory.getLogger(QueueCalls.class);

    /** PROCESS_TRIGGER: an external event, a retry, or a named trigger fired elsewhere. */
    @Singleton
    CallHandler processTrigger(EntityStore store, TriggerFiring firing, RetryTrigger retry) {
        return new CallHandler() {
            @Override
            public String call() {
                return Calls.PROCESS_TRIGGER;
            }

            @Override
            public void apply(Connection c, JsonNode m) throws SQLException {
                String type = m.path("trigger_type_name").asText();
                switch (type) {
                    case EventTrigger.NAME -> {
                        String eventId = m.path("message").path("event_id").asText(null);
                        var event = eventId == null ? null : store.find(c, EntityType.EVENT, eventId).orElse(null);
                        if (event == null || !"ACTIVE".equals(event.text("state"))) {
                            LOG.info("event message for {} ignored: no such ACTIVE event", eventId);
                            return;
                        }
                        // the event's message is its runs' parameters: what their templates see as params
                        firing.fireMatching(c, EventTrigger.NAME, "event_id", eventId,
                                new WorkflowRuns.RunOptions(m.path("message"), null));
                    }
                    case RetryTrigger.NAME -> retry.start(c, m);
                    default -> {
                        var trigger = store.find(c, EntityType.TRIGGER, m.path("trigger_id").asText("")).orElse(null);
                        if (trigger == null || !"ACTIVE".equals(trigger.text("state"))) {
                            LOG.info("PROCESS_TRIGGER for {} ignored: no such ACTIVE trigger", m.path("trigger_id"));
                            return;
                        }
                        firing.fire(c, trigger);
                    }
                }
            }
        };
    }

    /** RUN_ENDED: a COMPLETED run fires the workflow_completion triggers on its workflow. */
    @Singleton
    CallHandler completionTriggers(TriggerFiring firing) {
        return new CallHandler() {
            @Override
            public String call() {
                return Calls.RUN_ENDED;
            }

            @Override
            public void apply(Connection c, JsonNode m) throws SQLException {
                if ("COMPLETED".equals(m.path("state").asText())) {
                    firing.fireMatching(c, WorkflowCompletionTrigger.NAME, "completed_workflow_id",
                            m.path("workflow_id").asText());
                }
            }
        };
    }

    /** TRY_NEXT_ACTION: look again at what a run can do next. */
    @Singleton
    CallHandler tryNextAction(EntityStore store, InstanceProgress progress) {
        return new CallHandler() {
            @Override
            public String call() {
                return Calls.TRY_NEXT_ACTION;
            }

            @Override
            public void apply(Connection c, JsonNode m) throws SQLException {
                var instance = store.findForUpdate(c, EntityType.WORKFLOW_INSTANCE, m.path("workflow_instance_id").asText(""));
                if (instance.isPresent()) {
                    progress.advance(c, instance.get());
                }
            }
        };
    }

    /**
     * COMPLETE_ACTION {action_id, state: SUCCESS|FAILURE, error_message}: a check-in sent through the queue, for
     * engines that can write to SQS but not reach the API; applied like an HTTP check-in, once.
     */
    @Singleton
    CallHandler completeAction(ActionOutcomes outcomes) {
        return new CallHandler() {
            @Override
            public String call() {
                return Calls.COMPLETE_ACTION;
            }

            @Override
            public void apply(Connection c, JsonNode m) throws SQLException {
                outcomes.endIfStill(c, m.path("action_id").asText(""), EnumSet.of(ActionState.RUNNING),
                        "SUCCESS".equals(m.path("state").asText()) ? ActionOutcomes.Ending.SUCCESS
                                : ActionOutcomes.Ending.FAILURE, m.path("error_message").asText(null));
            }
        };
    }
}
