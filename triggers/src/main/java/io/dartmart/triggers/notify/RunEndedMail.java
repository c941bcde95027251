package io.dartmart.triggers.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.execution.Calls;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code RUN_ENDED}: mails the workflow's {@code on_success_email} list when the run COMPLETED, its
 * {@code on_failure_email} list when it FAILED or was CANCELLED.
 */
@Singleton
public class RunEndedMail extends MailHandler {

    public RunEndedMail(Db db, EntityStore store, Mailer mailer) {
        super(db, store, mailer);
    }

    @Override
    public String call() {
        return Calls.RUN_ENDED;
    }

    @Override
    protected Optional<Mail> compose(Connection c, JsonNode message) throws SQLException {
        String instanceId = MailText.field(message, "workflow_instance_id");
        Entity instance = instanceId == null ? null : store.find(c, EntityType.WORKFLOW_INSTANCE, instanceId)
                .orElse(null);
        String state = MailText.field(message, "state");
        if (state == null && instance != null) {
            state = instance.text("state");
        }
        String list = "COMPLETED".equals(state) ? "on_success_email"
                : "FAILED".equals(state) || "CANCELLED".equals(state) ? "on_failure_email" : null;
        if (list == null) {
            return Optional.empty();
        }
        String workflowId = MailText.field(message, "workflow_id");
        if (workflowId == null && instance != null) {
            workflowId = instance.text("workflow_id");
        }
        Entity workflow = find(c, EntityType.WORKFLOW, workflowId, message);
        List<String> to = MailText.addresses(workflow, list);
        if (to.isEmpty()) {
            return Optional.empty();
        }
        String name = workflow.text("name");
        String what = state.toLowerCase(Locale.ROOT);
        MailText.Body body = new MailText.Body()
                .line("A run of workflow \"" + name + "\" " + what + ".")
                .blank()
                .field("workflow_id", workflow.id())
                .field("workflow_instance_id", instanceId)
                .field("state", state)
                .field("trigger_type", instance, "trigger_type")
                .field("retry_num", instance, "retry_num")
                .field("queued_time", instance, "queued_time")
                .field("start_time", instance, "start_time")
                .field("end_time", instance, "end_time");
        if ("FAILED".equals(state) && instance != null) {
            int retryNum = instance.data().path("retry_num").asInt(0);
            int retries = workflow.data().path("retries_on_failure").asInt(0);
            if (retryNum < retries) {
                body.blank().line("The workflow retries failed runs: retry " + (retryNum + 1) + " of " + retries
                        + " follows.");
            }
        }
        body.error(instance == null ? null : instance.text("error_message"));
        return Optional.of(new Mail(to, MailText.subject("workflow", name, what), body.toString()));
    }
}
