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

/** {@code ACTION_ENDED}: mails the action's {@code on_success_email} or {@code on_failure_email} list. */
@Singleton
public class ActionEndedMail extends MailHandler {

    public ActionEndedMail(Db db, EntityStore store, Mailer mailer) {
        super(db, store, mailer);
    }

    @Override
    public String call() {
        return Calls.ACTION_ENDED;
    }

    @Override
    protected Optional<Mail> compose(Connection c, JsonNode message) throws SQLException {
        Entity action = find(c, EntityType.ACTION, MailText.field(message, "action_id"), message);
        if (action == null) {
            return Optional.empty();
        }
        String state = MailText.field(message, "state");
        if (state == null) {
            state = action.text("state");
        }
        String list = "COMPLETED".equals(state) ? "on_success_email"
                : "FAILED".equals(state) ? "on_failure_email" : null;
        List<String> to = list == null ? List.of() : MailText.addresses(action, list);
        if (to.isEmpty()) {
            return Optional.empty();
        }
        String workflowId = action.text("workflow_id");
        Entity workflow = workflowId == null ? null : store.find(c, EntityType.WORKFLOW, workflowId).orElse(null);
        String name = action.text("name");
        String what = state.toLowerCase(Locale.ROOT);
        MailText.Body body = new MailText.Body()
                .line("Action \"" + name + "\" " + what
                        + (workflow == null ? "." : " in a run of workflow \"" + workflow.text("name") + "\"."))
                .blank()
                .field("action_id", action.id())
                .field("action_type_name", action, "action_type_name")
                .field("state", state)
                .field("workflow_id", workflowId)
                .field("workflow_instance_id", action, "workflow_instance_id")
                .field("engine_name", action, "engine_name")
                .field("attempt", action, "attempt")
                .field("start_time", action, "start_time")
                .field("end_time", action, "end_time")
                .error(action.text("error_message"));
        return Optional.of(new Mail(to, MailText.subject("action", name, what), body.toString()));
    }
}
