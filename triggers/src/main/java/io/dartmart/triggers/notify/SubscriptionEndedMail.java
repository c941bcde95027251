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

/**
 * {@code SUBSCRIPTION_ENDED}: mails the subscription's {@code on_success_email} list when its listing completed
 * (ACTIVE), its {@code on_failure_email} list when it FAILED.
 */
@Singleton
public class SubscriptionEndedMail extends MailHandler {

    public SubscriptionEndedMail(Db db, EntityStore store, Mailer mailer) {
        super(db, store, mailer);
    }

    @Override
    public String call() {
        return Calls.SUBSCRIPTION_ENDED;
    }

    @Override
    protected Optional<Mail> compose(Connection c, JsonNode message) throws SQLException {
        Entity subscription = find(c, EntityType.SUBSCRIPTION, MailText.field(message, "subscription_id"), message);
        if (subscription == null) {
            return Optional.empty();
        }
        boolean listed = "ACTIVE".equals(MailText.field(message, "state"));
        List<String> to = MailText.addresses(subscription, listed ? "on_success_email" : "on_failure_email");
        if (to.isEmpty()) {
            return Optional.empty();
        }
        String name = subscription.text("name");
        String what = listed ? "listed" : "failed";
        MailText.Body body = new MailText.Body()
                .line("Subscription \"" + name + "\" " + (listed ? "has listed its dataset's files." : "failed to list"
                        + " its dataset's files."))
                .blank()
                .field("subscription_id", subscription.id())
                .field("dataset_id", subscription, "dataset_id")
                .field("state", MailText.field(message, "state"))
                .field("elements_added", MailText.field(message, "elements_added"))
                .error(subscription.text("error_message"));
        return Optional.of(new Mail(to, MailText.subject("subscription", name, what), body.toString()));
    }
}
