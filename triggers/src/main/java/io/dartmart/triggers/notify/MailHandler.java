package io.dartmart.triggers.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.triggers.worker.CallHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A handler whose only effect is a mail. It has nothing to do in the worker's transaction: after commit it reads
 * what the mail tells about, then sends it. Nothing it meets (a deleted entity, the database, the mail server)
 * escapes {@link #afterCommit}.
 */
public abstract class MailHandler implements CallHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MailHandler.class);

    protected final Db db;
    protected final EntityStore store;
    protected final Mailer mailer;

    protected MailHandler(Db db, EntityStore store, Mailer mailer) {
        this.db = db;
        this.store = store;
        this.mailer = mailer;
    }

    @Override
    public final void afterCommit(JsonNode message) {
        String messageId = MailText.field(message, "message_id");
        try {
            if (!mailer.enabled()) {
                LOG.debug("mail is off (dart.smtp.host is empty); {} message {} sends none", call(), messageId);
                return;
            }
            Optional<Mail> mail = db.read(c -> compose(c, message));
            if (mail.isEmpty() || mail.get().recipients().isEmpty()) {
                LOG.debug("{} message {}: nobody to mail", call(), messageId);
                return;
            }
            mailer.send(mail.get().recipients(), mail.get().subject(), mail.get().body());
        } catch (RuntimeException e) {
            LOG.warn("{} message {}: no mail sent: {}", call(), messageId, e.toString());
        }
    }

    /** The mail for {@code message}, or empty when there is nothing to send (no list, entity gone). */
    protected abstract Optional<Mail> compose(Connection c, JsonNode message) throws SQLException;

    /** The entity, or null when the message does not name one or it no longer exists (logged). */
    protected Entity find(Connection c, EntityType type, String id, JsonNode message) throws SQLException {
        if (id == null) {
            LOG.warn("{} message {} has no {} id; no mail", call(), MailText.field(message, "message_id"),
                    type.wireName());
            return null;
        }
        Entity e = store.find(c, type, id).orElse(null);
        if (e == null) {
            LOG.info("{} message {}: {} '{}' no longer exists", call(), MailText.field(message, "message_id"),
                    type.wireName(), id);
        }
        return e;
    }
}
