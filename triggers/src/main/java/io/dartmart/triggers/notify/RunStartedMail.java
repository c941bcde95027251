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
import java.util.Optional;

/** {@code RUN_STARTED}: mails the workflow's {@code on_started_email} list. */
@Singleton
public class RunStartedMail extends MailHandler {

    public RunStartedMail(Db db, EntityStore store, Mailer mailer) {
        super(db, store, mailer);
    }

    @Override
    public String call() {
        return Calls.RUN_STARTED;
    }

    @Override
    protected Optional<Mail> compose(Connection c, JsonNode message) throws SQLException {
        String instanceId = MailText.field(message, "workflow_instance_id");
        Entity instance = instanceId == null ? null : store.find(c, EntityType.WORKFLOW_INSTANCE, instanceId)
                .orElse(null);
        String workflowId = MailText.field(message, "workflow_id");
        if (workflowId == null && instance != null) {
            workflowId = instance.text("workflow_id");
        }
        Entity workflow = find(c, EntityType.WORKFLOW, workflowId, message);
        List<String> to = MailText.addresses(workflow, "on_started_email");
        if (to.isEmpty()) {
            return Optional.empty();
        }
        String name = workflow.text("name");
        MailText.Body body = new MailText.Body()
                .line("Workflow \"" + name + "\" started a run.")
                .blank()
                .field("workflow_id", workflow.id())
                .field("workflow_instance_id", instanceId)
                .field("trigger_type", instance, "trigger_type")
                .field("trigger_id", instance, "trigger_id")
                .field("retry_num", instance, "retry_num")
                .field("queued_time", instance, "queued_time")
                .field("start_time", instance, "start_time");
        return Optional.of(new Mail(to, MailText.subject("workflow", name, "started"), body.toString()));
    }
}
